package io.svdwb.engine.linalg;

import static io.svdwb.engine.linalg.DenseMatrices.dim;
import static io.svdwb.engine.linalg.DenseMatrices.doubles;
import static io.svdwb.engine.linalg.DenseMatrices.floats;
import static io.svdwb.engine.linalg.DenseMatrices.freshCopy;
import static io.svdwb.engine.linalg.DenseMatrices.isFloat;
import static io.svdwb.engine.linalg.DenseMatrices.requireMatrix;
import static io.svdwb.engine.linalg.DenseMatrices.requireSquare;

import java.lang.ref.Reference;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The BLAS level-3 operations of {@link CpuLinearAlgebra}, all called with CblasRowMajor on operands
 * prepared by {@link RowMajorOperand}; results are new dense 'c' arrays.
 *
 * <p>{@code Reference.reachabilityFence} keeps operand buffers (possibly temporary copies) alive until
 * the native call has returned.
 */
final class CpuBlas {

    private CpuBlas() {
    }

    static INDArray matmul(INDArray a, boolean transposeA, INDArray b, boolean transposeB) {
        long[] shape = DenseMatrices.productShape(a, transposeA, b, transposeB);
        long m = shape[0];
        long k = shape[1];
        long n = shape[2];
        INDArray c = Nd4j.createUninitialized(a.dataType(), new long[] {m, n}, 'c');
        if (m == 0 || n == 0) {
            return c;
        }
        if (k == 0) {
            return c.assign(0);
        }
        RowMajorOperand left = RowMajorOperand.of(a, transposeA);
        RowMajorOperand right = RowMajorOperand.of(b, transposeB);
        int mi = dim(m, "rows of op(a)");
        int ni = dim(n, "columns of op(b)");
        int ki = dim(k, "inner dimension");
        if (isFloat(a)) {
            openblas.cblas_sgemm(openblas.CblasRowMajor, left.cblasTranspose(), right.cblasTranspose(), mi, ni, ki, 1f,
                    floats(left.buffer()), left.leadingDimension(), floats(right.buffer()), right.leadingDimension(),
                    0f, floats(c), ni);
        } else {
            openblas.cblas_dgemm(openblas.CblasRowMajor, left.cblasTranspose(), right.cblasTranspose(), mi, ni, ki, 1d,
                    doubles(left.buffer()), left.leadingDimension(), doubles(right.buffer()), right.leadingDimension(),
                    0d, doubles(c), ni);
        }
        Reference.reachabilityFence(left);
        Reference.reachabilityFence(right);
        return c;
    }

    static INDArray gram(INDArray x) {
        requireMatrix(x, "gram input");
        long m = x.rows();
        // one triangle summed onto zeros (exactly what syrk's beta = 0 gives), then mirrored: exactly symmetric
        INDArray c = Nd4j.zeros(x.dataType(), m, m);
        addGramLower(x, c);
        mirrorLowerToUpper(c, m);
        return c;
    }

    static void addGramLower(INDArray x, INDArray accumulator) {
        DenseMatrices.requireGramAccumulator(x, accumulator);
        long m = x.rows();
        if (m == 0 || x.columns() == 0) {
            return;
        }
        RowMajorOperand op = RowMajorOperand.of(x, false);
        int mi = dim(m, "rows");
        int ki = dim(x.columns(), "columns");
        if (isFloat(x)) {
            openblas.cblas_ssyrk(openblas.CblasRowMajor, openblas.CblasLower, op.cblasTranspose(), mi, ki, 1f,
                    floats(op.buffer()), op.leadingDimension(), 1f, floats(accumulator), mi);
        } else {
            openblas.cblas_dsyrk(openblas.CblasRowMajor, openblas.CblasLower, op.cblasTranspose(), mi, ki, 1d,
                    doubles(op.buffer()), op.leadingDimension(), 1d, doubles(accumulator), mi);
        }
        Reference.reachabilityFence(op);
    }

    static void mirrorLowerToUpper(INDArray rowMajor) {
        requireSquare(rowMajor, "mirrorLowerToUpper input");
        if (rowMajor.ordering() != 'c' || rowMajor.isView()) {
            throw new IllegalArgumentException("mirrorLowerToUpper needs a dense row-major array");
        }
        mirrorLowerToUpper(rowMajor, rowMajor.rows());
    }

    /** Tile edge of the mirror copy: a 64 x 64 double tile is 32 KB, so reads and writes both stay in cache. */
    private static final int MIRROR_TILE = 64;

    /**
     * syrk writes one triangle only; copying it makes the result exactly (bitwise) symmetric. The copy is a transpose,
     * so it goes tile by tile (an element-wise walk writes every element to another cache line: 11008² took seconds),
     * with the tile rows shared among the cores: each writes only the columns of its own tile row.
     */
    private static void mirrorLowerToUpper(INDArray rowMajor, long m) {
        boolean single = isFloat(rowMajor);
        FloatIndexer f = single ? (FloatIndexer) rowMajor.data().indexer() : null;
        DoubleIndexer d = single ? null : (DoubleIndexer) rowMajor.data().indexer();
        forEachLowerRowSegment(m, false, (i, from, to) -> {
            for (long j = from; j < to; j++) {
                if (single) {
                    f.put(j * m + i, f.get(i * m + j));
                } else {
                    d.put(j * m + i, d.get(i * m + j));
                }
            }
        });
    }

    /** Columns {@code from} (inclusive) to {@code to} (exclusive) of row {@code i}, all left of (or on) the diagonal. */
    @FunctionalInterface
    private interface RowSegment {
        void visit(long i, long from, long to);
    }

    /**
     * Every element below the diagonal of an m x m matrix (and on it when {@code withDiagonal}), as row segments of
     * 64 x 64 tiles, so that a task touching (i, j) and its mirror (j, i) keeps both tiles in cache; the tile rows are
     * shared among the cores, and a task writes only its own tile row and the mirrored tile column.
     */
    private static void forEachLowerRowSegment(long m, boolean withDiagonal, RowSegment segment) {
        int tiles = (int) ((m + MIRROR_TILE - 1) / MIRROR_TILE);
        java.util.stream.IntStream.range(0, tiles).parallel().forEach(tileRow -> {
            long rowStart = (long) tileRow * MIRROR_TILE;
            long rowEnd = Math.min(m, rowStart + MIRROR_TILE);
            for (long colStart = 0; colStart <= rowStart; colStart += MIRROR_TILE) {
                long colEnd = Math.min(m, colStart + MIRROR_TILE);
                for (long i = rowStart; i < rowEnd; i++) {
                    segment.visit(i, colStart, Math.min(colEnd, withDiagonal ? i + 1 : i));
                }
            }
        });
    }

    static INDArray symmetricPart(INDArray square) {
        requireSquare(square, "symmetricPart input");
        if (isFloat(square) || square.dataType() != org.nd4j.linalg.api.buffer.DataType.DOUBLE) {
            throw new IllegalArgumentException("symmetricPart needs a DOUBLE array, got " + square.dataType());
        }
        INDArray a = square.ordering() == 'c' && !square.isView() ? square : square.dup('c');
        long m = a.rows();
        INDArray out = Nd4j.createUninitialized(org.nd4j.linalg.api.buffer.DataType.DOUBLE, new long[] {m, m}, 'c');
        DoubleIndexer in = (DoubleIndexer) a.data().indexer();
        DoubleIndexer to = (DoubleIndexer) out.data().indexer();
        // (i, j) with j <= i writes both itself and its mirror (j, i): every element is written once
        forEachLowerRowSegment(m, true, (i, from, end) -> {
            for (long j = from; j < end; j++) {
                double v = (in.get(i * m + j) + in.get(j * m + i)) * 0.5;
                to.put(i * m + j, v);
                to.put(j * m + i, v);
            }
        });
        if (a != square) {
            a.close();
        }
        return out;
    }

    /** {@code a L} by trmm: half the multiply-adds of a full product, since L's strict upper triangle is zero. */
    static INDArray multiplyLowerTriangular(INDArray a, INDArray lower) {
        DenseMatrices.requireLowerTriangularProduct(a, lower);
        INDArray x = freshCopy(a, 'c');
        if (x.length() == 0) {
            return x;
        }
        RowMajorOperand op = RowMajorOperand.of(lower, false);
        // a stored transpose ('f' input) of a lower triangle is an upper triangle
        int uplo = op.bufferIsTransposeOfInput(false) ? openblas.CblasUpper : openblas.CblasLower;
        int mi = dim(x.rows(), "rows of a");
        int ni = dim(x.columns(), "columns of a");
        int ldx = Math.max(1, ni);
        if (isFloat(a)) {
            openblas.cblas_strmm(openblas.CblasRowMajor, openblas.CblasRight, uplo, op.cblasTranspose(), openblas.CblasNonUnit,
                    mi, ni, 1f, floats(op.buffer()), op.leadingDimension(), floats(x), ldx);
        } else {
            openblas.cblas_dtrmm(openblas.CblasRowMajor, openblas.CblasRight, uplo, op.cblasTranspose(), openblas.CblasNonUnit,
                    mi, ni, 1d, doubles(op.buffer()), op.leadingDimension(), doubles(x), ldx);
        }
        Reference.reachabilityFence(op);
        return x;
    }

    static INDArray solveTriangular(INDArray t, boolean lower, boolean transpose, INDArray b, boolean leftSide) {
        DenseMatrices.requireTriangularSystem(t, b, leftSide);
        INDArray x = freshCopy(b, 'c');
        if (x.length() == 0) {
            return x;
        }
        RowMajorOperand op = RowMajorOperand.of(t, transpose);
        // A stored transpose ('f' input) of a lower triangle is an upper triangle.
        boolean storedLower = op.bufferIsTransposeOfInput(transpose) != lower;
        int side = leftSide ? openblas.CblasLeft : openblas.CblasRight;
        int uplo = storedLower ? openblas.CblasLower : openblas.CblasUpper;
        int mi = dim(x.rows(), "rows of b");
        int ni = dim(x.columns(), "columns of b");
        int ldx = Math.max(1, ni);
        if (isFloat(t)) {
            openblas.cblas_strsm(openblas.CblasRowMajor, side, uplo, op.cblasTranspose(), openblas.CblasNonUnit, mi, ni,
                    1f, floats(op.buffer()), op.leadingDimension(), floats(x), ldx);
        } else {
            openblas.cblas_dtrsm(openblas.CblasRowMajor, side, uplo, op.cblasTranspose(), openblas.CblasNonUnit, mi, ni,
                    1d, doubles(op.buffer()), op.leadingDimension(), doubles(x), ldx);
        }
        Reference.reachabilityFence(op);
        return x;
    }

}
