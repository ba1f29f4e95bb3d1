package io.svdwb.engine.compress.gradients;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.soco.ScoredProjection;

/**
 * Collects one projection's {@link MatrixGradients} during the pass. Each backward of a batch calls {@link #accept}
 * once for this projection, with its input x [T, n] and output gradient [T, m]; {@code G_b = gradYᵀ x} is then the
 * whole batch's weight gradient, squared and summed along both axes and added to the running sum.
 */
final class GradientAccumulator implements ScoredProjection.WeightGradientSink {

    private final int rows;
    private final int cols;
    private final LinearAlgebra linalg;
    private final double[] inputFisher;
    private final double[] outputFisher;
    private final double[] gradientSum;
    private int batches;

    GradientAccumulator(int rows, int cols, LinearAlgebra linalg) {
        this.rows = rows;
        this.cols = cols;
        this.linalg = linalg;
        this.inputFisher = new double[cols];
        this.outputFisher = new double[rows];
        this.gradientSum = new double[rows * cols];
    }

    @Override
    public void accept(double[] x, double[] gradY, int tokens) {
        var product = linalg.matmul(io.svdwb.engine.tensor.NdArrays.fromDoubles(gradY, tokens, rows), true,
                io.svdwb.engine.tensor.NdArrays.fromDoubles(x, tokens, cols), false);
        addBatch(io.svdwb.engine.tensor.NdArrays.toDoubles(product), rows, cols, inputFisher, outputFisher, gradientSum);
        product.close();
        batches++;
    }

    /** Adds one batch gradient g (m x n row-major): its squares to the column and row sums, itself to the sum. */
    static void addBatch(double[] g, int m, int n, double[] perColumn, double[] perRow, double[] sum) {
        for (int i = 0; i < m; i++) {
            double row = 0;
            for (int j = 0; j < n; j++) {
                double v = g[i * n + j];
                double square = v * v;
                perColumn[j] += square;
                row += square;
                sum[i * n + j] += v;
            }
            perRow[i] += row;
        }
    }

    MatrixGradients result() {
        if (batches == 0) {
            throw new IllegalStateException("no batch reached this projection's backward");
        }
        double[] mean = gradientSum.clone();
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= batches;
        }
        return new MatrixGradients(rows, cols, batches, inputFisher.clone(), outputFisher.clone(), mean);
    }
}
