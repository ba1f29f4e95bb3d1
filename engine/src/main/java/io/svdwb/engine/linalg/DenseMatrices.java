package io.svdwb.engine.linalg;

import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Argument checks and buffer access shared by the CPU routines. BLAS/LAPACK read raw memory from the
 * buffer's start with a leading dimension, so only a dense, offset-free array can be passed without a
 * copy; anything else (views, slices, odd strides) is copied first.
 */
public final class DenseMatrices {

    private DenseMatrices() {
    }

    public static void requireMatrix(INDArray x, String what) {
        if (x == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (x.rank() != 2) {
            throw new IllegalArgumentException(what + " must be a matrix, got shape " + Arrays.toString(x.shape()));
        }
        DataType type = x.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException(what + " must be FLOAT or DOUBLE, got " + type);
        }
    }

    public static void requireNonEmpty(INDArray x, String operation) {
        if (x.rows() == 0 || x.columns() == 0) {
            throw new IllegalArgumentException(operation + " of an empty matrix (shape "
                    + Arrays.toString(x.shape()) + ") is not supported");
        }
    }

    public static void requireSquare(INDArray x, String what) {
        if (x.rows() != x.columns()) {
            throw new IllegalArgumentException(what + " must be square, got shape " + Arrays.toString(x.shape()));
        }
    }

    public static void requireSameType(INDArray a, INDArray b, String operation) {
        if (a.dataType() != b.dataType()) {
            throw new IllegalArgumentException(operation + " operands differ in data type: "
                    + a.dataType() + " vs " + b.dataType());
        }
    }

    /** LAPACKE and CBLAS take 32-bit dimensions. */
    public static int dim(long n, String what) {
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " = " + n + " exceeds the 32-bit LAPACK/BLAS limit");
        }
        return (int) n;
    }

    public static boolean isFloat(INDArray x) {
        return x.dataType() == DataType.FLOAT;
    }

    /** True if x's buffer, read from its start, is x in the given order with no gaps. */
    public static boolean isDense(INDArray x, char order) {
        if (x.isView() || x.offset() != 0 || x.ordering() != order || x.data().length() != x.length()) {
            return false;
        }
        long inner = order == 'c' ? x.columns() : x.rows();
        int innerAxis = order == 'c' ? 1 : 0;
        int outerAxis = 1 - innerAxis;
        // A stride along an axis of length 1 is never used, and ND4J sets it inconsistently.
        boolean innerOk = x.size(innerAxis) <= 1 || x.stride(innerAxis) == 1;
        boolean outerOk = x.size(outerAxis) <= 1 || x.stride(outerAxis) == inner;
        return innerOk && outerOk;
    }

    /** x itself if it is dense row-major, otherwise a dense row-major copy. Never write to the result. */
    public static INDArray rowMajorContiguous(INDArray x) {
        return isDense(x, 'c') ? x : x.dup('c');
    }

    /** A fresh dense copy in the given order, which a LAPACK routine may overwrite. */
    public static INDArray freshCopy(INDArray x, char order) {
        INDArray copy = Nd4j.createUninitialized(x.dataType(), x.shape(), order);
        copy.assign(x);
        return copy;
    }

    static FloatPointer floats(INDArray denseArray) {
        return (FloatPointer) denseArray.data().addressPointer();
    }

    static DoublePointer doubles(INDArray denseArray) {
        return (DoublePointer) denseArray.data().addressPointer();
    }

    /**
     * Fails on the first NaN or infinity of a dense array: LAPACK may loop forever or return garbage on
     * them. The position is reported as (row, column) in the logical matrix.
     */
    public static void requireFinite(INDArray dense, String operation) {
        long n = dense.length();
        boolean single = isFloat(dense);
        FloatIndexer floats = single ? (FloatIndexer) dense.data().indexer() : null;
        DoubleIndexer doubles = single ? null : (DoubleIndexer) dense.data().indexer();
        // every input of a LAPACK call is scanned (0.97 GB for an 11008² Gram): slices on all cores, the first bad one wins
        long slice = 1 << 16;
        long first = java.util.stream.LongStream.range(0, (n + slice - 1) / slice).parallel().map(s -> {
            for (long i = s * slice, end = Math.min(n, i + slice); i < end; i++) {
                if (single ? !Float.isFinite(floats.get(i)) : !Double.isFinite(doubles.get(i))) {
                    return i;
                }
            }
            return Long.MAX_VALUE;
        }).min().orElse(Long.MAX_VALUE);
        long index = first == Long.MAX_VALUE ? -1 : first;
        if (index >= 0) {
            boolean rowMajor = dense.ordering() == 'c';
            long row = rowMajor ? index / dense.columns() : index % dense.rows();
            long col = rowMajor ? index % dense.columns() : index / dense.rows();
            double value = isFloat(dense) ? ((FloatIndexer) dense.data().indexer()).get(index)
                    : ((DoubleIndexer) dense.data().indexer()).get(index);
            throw new IllegalArgumentException(operation + " input contains a non-finite value (" + value
                    + ") at (" + row + ", " + col + ") of a " + dense.rows() + " x " + dense.columns() + " matrix");
        }
    }

    /** Turns a negative LAPACK info (an illegal argument: a bug on our side) into an exception. */
    static void checkArguments(String routine, int info) {
        if (info < 0) {
            throw new LinearAlgebraException(routine, info, "argument " + (-info) + " had an illegal value");
        }
    }

    /**
     * Checks the operands of {@code op(a) · op(b)} as every backend does and returns {m, k, n}: op(a) is m x k, op(b)
     * k x n.
     */
    public static long[] productShape(INDArray a, boolean transposeA, INDArray b, boolean transposeB) {
        requireMatrix(a, "matmul operand a");
        requireMatrix(b, "matmul operand b");
        requireSameType(a, b, "matmul");
        long m = transposeA ? a.columns() : a.rows();
        long k = transposeA ? a.rows() : a.columns();
        long kb = transposeB ? b.columns() : b.rows();
        long n = transposeB ? b.rows() : b.columns();
        if (k != kb) {
            throw new IllegalArgumentException("matmul inner dimensions differ: op(a) is " + m + " x " + k
                    + " (a " + Arrays.toString(a.shape()) + (transposeA ? " transposed" : "") + "), op(b) is "
                    + kb + " x " + n + " (b " + Arrays.toString(b.shape()) + (transposeB ? " transposed" : "") + ")");
        }
        return new long[] {m, k, n};
    }

    /** Checks the operands of {@link LinearAlgebra#addGramLower} as every backend does. */
    public static void requireGramAccumulator(INDArray x, INDArray accumulator) {
        requireMatrix(x, "gram input");
        requireMatrix(accumulator, "gram accumulator");
        requireSameType(x, accumulator, "addGramLower");
        long m = x.rows();
        if (accumulator.rows() != m || accumulator.columns() != m || accumulator.ordering() != 'c' || accumulator.isView()) {
            throw new IllegalArgumentException("addGramLower needs a dense row-major " + m + " x " + m + " accumulator, got "
                    + Arrays.toString(accumulator.shape()) + " in order '" + accumulator.ordering() + "'"
                    + (accumulator.isView() ? " (a view)" : ""));
        }
    }

    /** Checks {@code a L}: two matrices of one type, L square with as many rows as a has columns. */
    public static void requireLowerTriangularProduct(INDArray a, INDArray lower) {
        requireMatrix(a, "left factor");
        requireMatrix(lower, "lower-triangular factor");
        requireSquare(lower, "lower-triangular factor");
        requireSameType(a, lower, "multiplyLowerTriangular");
        if (a.columns() != lower.rows()) {
            throw new IllegalArgumentException("multiplyLowerTriangular: a " + lower.rows() + " x " + lower.rows()
                    + " triangular factor needs a left factor with " + lower.rows() + " columns, got "
                    + Arrays.toString(a.shape()));
        }
    }

    /** Checks the operands of {@link LinearAlgebra#solveTriangular} as every backend does. */
    public static void requireTriangularSystem(INDArray t, INDArray b, boolean leftSide) {
        requireMatrix(t, "triangular matrix");
        requireMatrix(b, "right-hand side");
        requireSquare(t, "triangular matrix");
        requireSameType(t, b, "solveTriangular");
        long order = t.rows();
        long matching = leftSide ? b.rows() : b.columns();
        if (matching != order) {
            throw new IllegalArgumentException("solveTriangular: a " + order + " x " + order + " triangular matrix on the "
                    + (leftSide ? "left needs b with " + order + " rows" : "right needs b with " + order + " columns")
                    + ", got b " + Arrays.toString(b.shape()));
        }
        // an exactly zero pivot makes trsm divide by zero and silently return infinities
        for (long i = 0; i < order; i++) {
            if (t.getDouble(i, i) == 0.0) {
                throw new IllegalArgumentException("solveTriangular: the triangular matrix is singular (diagonal element "
                        + i + " of " + order + " is zero)");
            }
        }
    }
}
