package io.svdwb.engine.linalg;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link LinearAlgebra} on the CPU through the OpenBLAS (CBLAS/LAPACKE) that ND4J's CPU backend ships. */
public final class CpuLinearAlgebra implements LinearAlgebra {

    @Override
    public String name() {
        return "cpu-openblas";
    }

    @Override
    public INDArray matmul(INDArray a, boolean transposeA, INDArray b, boolean transposeB) {
        requireMatrix(a, "a");
        requireMatrix(b, "b");
        if (a.dataType() != b.dataType()) {
            throw new IllegalArgumentException("matmul operands differ in data type: " + a.dataType() + " vs " + b.dataType());
        }
        INDArray left = rowMajorContiguous(a);
        INDArray right = rowMajorContiguous(b);
        long m = transposeA ? left.columns() : left.rows();
        long k = transposeA ? left.rows() : left.columns();
        long kb = transposeB ? right.columns() : right.rows();
        long n = transposeB ? right.rows() : right.columns();
        if (k != kb) {
            throw new IllegalArgumentException("matmul inner dimensions differ: " + k + " vs " + kb);
        }
        INDArray c = Nd4j.createUninitialized(left.dataType(), new long[] {m, n}, 'c');
        int transA = transposeA ? openblas.CblasTrans : openblas.CblasNoTrans;
        int transB = transposeB ? openblas.CblasTrans : openblas.CblasNoTrans;
        if (m == 0 || n == 0) {
            return c;
        }
        if (k == 0) {
            return c.assign(0);
        }
        if (left.dataType() == DataType.FLOAT) {
            openblas.cblas_sgemm(openblas.CblasRowMajor, transA, transB, (int) m, (int) n, (int) k, 1f,
                    (FloatPointer) left.data().addressPointer(), (int) left.columns(),
                    (FloatPointer) right.data().addressPointer(), (int) right.columns(), 0f,
                    (FloatPointer) c.data().addressPointer(), (int) n);
        } else if (left.dataType() == DataType.DOUBLE) {
            openblas.cblas_dgemm(openblas.CblasRowMajor, transA, transB, (int) m, (int) n, (int) k, 1d,
                    (DoublePointer) left.data().addressPointer(), (int) left.columns(),
                    (DoublePointer) right.data().addressPointer(), (int) right.columns(), 0d,
                    (DoublePointer) c.data().addressPointer(), (int) n);
        } else {
            throw new IllegalArgumentException("matmul supports FLOAT and DOUBLE, not " + left.dataType());
        }
        return c;
    }

    private static void requireMatrix(INDArray x, String what) {
        if (x.rank() != 2) {
            throw new IllegalArgumentException(what + " must be a matrix, got shape " + java.util.Arrays.toString(x.shape()));
        }
    }

    /** BLAS needs a dense row-major buffer that starts at the array's first element. */
    private static INDArray rowMajorContiguous(INDArray x) {
        boolean dense = x.ordering() == 'c' && !x.isView() && x.offset() == 0
                && x.stride(1) == 1 && x.stride(0) == x.columns();
        return dense ? x : x.dup('c');
    }
}
