package io.svdwb.engine.linalg;

import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How CBLAS (called with CblasRowMajor) sees a matrix operand: a dense buffer holding a row-major
 * matrix {@code stored}, with the logical operand being {@code stored} or its transpose.
 *
 * <p>A dense 'f' array's buffer is its transpose in row-major, so it is passed as-is with the
 * transpose flag flipped (no copy, which matters for the 'f' factors that CpuLapack returns). Views and
 * other strided arrays are copied to dense 'c' first.
 *
 * @param buffer             dense, offset-free array whose memory BLAS reads; never written to
 * @param storedTransposed   whether BLAS must transpose the stored matrix to get the operand
 * @param leadingDimension   row stride of the stored row-major matrix (at least 1, as BLAS requires)
 */
record RowMajorOperand(INDArray buffer, boolean storedTransposed, int leadingDimension) {

    /** The operand {@code op(x)} with op = transpose if {@code transpose}. */
    static RowMajorOperand of(INDArray x, boolean transpose) {
        if (DenseMatrices.isDense(x, 'c')) {
            return new RowMajorOperand(x, transpose, ld(x.columns()));
        }
        if (DenseMatrices.isDense(x, 'f')) {
            return new RowMajorOperand(x, !transpose, ld(x.rows()));
        }
        INDArray copy = x.dup('c');
        return new RowMajorOperand(copy, transpose, ld(copy.columns()));
    }

    int cblasTranspose() {
        return storedTransposed ? openblas.CblasTrans : openblas.CblasNoTrans;
    }

    /** True if the buffer stores the transpose of the array it was made from ('f' input). */
    boolean bufferIsTransposeOfInput(boolean transpose) {
        return storedTransposed != transpose;
    }

    private static int ld(long storedColumns) {
        return Math.max(1, DenseMatrices.dim(storedColumns, "leading dimension"));
    }
}
