package io.svdwb.engine.compress.gradients;

import io.svdwb.engine.compress.kernels.FisherWeighting;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the gradient pass measured for one m x n matrix over B batches, with {@code G_b = dLoss_b/dW}:
 *
 * @param inputFisher  {@code f_j = Σ_b Σ_i G_b[i, j]²}, n values (FWSVD per input feature, §4.2)
 * @param outputFisher {@code f_i = Σ_b Σ_j G_b[i, j]²}, m values (FWSVD per output row)
 * @param meanGradient {@code (1/B) Σ_b G_b}, m x n row-major (Zero-Sum SVD, §4.11)
 */
public record MatrixGradients(int rows, int cols, int batches, double[] inputFisher, double[] outputFisher,
                              double[] meanGradient) {

    public MatrixGradients {
        if (inputFisher.length != cols || outputFisher.length != rows || meanGradient.length != (long) rows * cols) {
            throw new IllegalArgumentException("gradient statistics do not fit a " + rows + " x " + cols + " matrix");
        }
    }

    /** The Fisher sums along {@code orientation} (a copy). */
    public double[] fisher(FisherWeighting.Orientation orientation) {
        return orientation == FisherWeighting.Orientation.OUTPUT_ROWS ? outputFisher.clone() : inputFisher.clone();
    }

    /** The mean gradient as a new DOUBLE m x n array. */
    public INDArray meanGradientMatrix() {
        return io.svdwb.engine.tensor.NdArrays.fromDoubles(meanGradient, rows, cols);
    }
}
