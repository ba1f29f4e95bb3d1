package io.svdwb.engine.soco;

import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.linalg.LinearAlgebra;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One compressible projection during SoCo training (docs/METHODS.md §4.8): the frozen decomposition
 * {@code W = U diag(sigma) Vt'} (U m x r, Vt' r x n) with one trainable score per component, computing
 * {@code y = U diag(sigma ⊙ a) (Vt' x) + b} with {@code a = max(theta, 0)}.
 *
 * <p>Rows of {@code x} are tokens: inputs are [tokens, n] and outputs [tokens, m], flat row-major doubles.
 * {@link #backward} accumulates {@code dL/dtheta} into {@link #scoreGradient()} (call {@link #zeroGradient()}
 * between steps) using {@code dL/da_i = sigma_i Σ_t (U[:, i]ᵀ g_t) z_{t,i}}, {@code z = Vt' x}, without ever
 * forming {@code dL/dW}.
 *
 * <p>Subgradient of {@code max(theta, 0)} at {@code theta = 0}: taken as 0, as PyTorch's relu does, so a
 * component is dead (no output, no score gradient) exactly when {@code theta <= 0}; only the budget and sparsity
 * terms of the later training loss can move it back.
 */
public final class ScoredProjection {

    /**
     * Receives, during {@link #backward}, what {@code dL/dW} of the whole projection is made of: the input {@code x}
     * [tokens, n] and {@code dL/dy} [tokens, m], so {@code dL/dW = gradYᵀ x}. The gradient passes of FWSVD and Zero-Sum
     * SVD (docs/METHODS.md §4.2, §4.11) read weight gradients this way; SoCo never sets one.
     */
    @FunctionalInterface
    public interface WeightGradientSink {
        void accept(double[] x, double[] gradY, int tokens);
    }

    private final INDArray u;
    private final double[] sigma;
    private final INDArray right;
    private final double[] bias;
    private final double[] theta;
    private final double[] thetaGradient;
    private final LinearAlgebra linalg;
    /** §4.8 step 7's optional deviation d (m numbers added to the output), or null when off. */
    private double[] deviation;
    private double[] deviationGradient;
    private WeightGradientSink weightGradientSink;

    /**
     * @param u     m x r, converted to DOUBLE
     * @param sigma r singular values (any order; copied)
     * @param right Vt', r x n, converted to DOUBLE
     * @param bias  m entries, or null
     */
    public ScoredProjection(INDArray u, double[] sigma, INDArray right, double[] bias, LinearAlgebra linalg) {
        if (u.rank() != 2 || right.rank() != 2 || u.columns() != sigma.length || right.rows() != sigma.length) {
            throw new IllegalArgumentException("U (" + u.rows() + " x " + u.columns() + "), sigma (" + sigma.length
                    + ") and Vt' (" + right.rows() + " x " + right.columns() + ") do not fit together");
        }
        if (bias != null && bias.length != u.rows()) {
            throw new IllegalArgumentException("bias has " + bias.length + " entries, U has " + u.rows() + " rows");
        }
        // dense copies: a view (e.g. the first r columns of a decomposition) would be copied again by every product
        this.u = u.castTo(DataType.DOUBLE).dup('c');
        this.sigma = sigma.clone();
        this.right = right.castTo(DataType.DOUBLE).dup('c');
        this.bias = bias == null ? null : bias.clone();
        this.theta = new double[sigma.length];
        java.util.Arrays.fill(theta, 1.0);
        this.thetaGradient = new double[sigma.length];
        this.linalg = linalg;
    }

    /**
     * The first {@code rank} components of {@code decomposition} (e.g. r_cap of §4.8 step 1, or its full rank to
     * reproduce W exactly), scores 1.
     */
    public static ScoredProjection of(LowRankDecomposition decomposition, int rank, double[] bias, LinearAlgebra linalg) {
        if (rank < 1 || rank > decomposition.fullRank()) {
            throw new IllegalArgumentException(decomposition.label() + ": rank " + rank + " outside [1, " + decomposition.fullRank() + "]");
        }
        INDArray left = decomposition.left().get(NDArrayIndex.all(), NDArrayIndex.interval(0, rank));
        INDArray right = decomposition.right().get(NDArrayIndex.interval(0, rank), NDArrayIndex.all());
        return new ScoredProjection(left, java.util.Arrays.copyOf(decomposition.singularValues(), rank), right, bias, linalg);
    }

    /**
     * W itself, {@code U = W, sigma = 1, Vt' = I}: the projection of an uncompressed model in double, whose weight
     * gradient a {@link WeightGradientSink} can read. Its n x n identity costs n² doubles, fine at demo widths.
     */
    public static ScoredProjection dense(INDArray weight, double[] bias, LinearAlgebra linalg) {
        int n = (int) weight.columns();
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1.0);
        return new ScoredProjection(weight, ones, org.nd4j.linalg.factory.Nd4j.eye(n).castTo(DataType.DOUBLE), bias, linalg);
    }

    /** Sets (or, with null, clears) the sink that sees every {@link #backward}'s input and output gradient. */
    public void setWeightGradientSink(WeightGradientSink sink) {
        this.weightGradientSink = sink;
    }

    public int inFeatures() {
        return (int) right.columns();
    }

    public int outFeatures() {
        return (int) u.rows();
    }

    /** The number of components r (= number of scores). */
    public int components() {
        return sigma.length;
    }

    public double score(int i) {
        return theta[i];
    }

    public void setScore(int i, double value) {
        theta[i] = value;
    }

    /** A copy of theta. */
    public double[] scores() {
        return theta.clone();
    }

    public void setScores(double[] values) {
        if (values.length != theta.length) {
            throw new IllegalArgumentException(values.length + " scores for " + theta.length + " components");
        }
        System.arraycopy(values, 0, theta, 0, theta.length);
    }

    /** A copy of the accumulated {@code dL/dtheta}. */
    public double[] scoreGradient() {
        return thetaGradient.clone();
    }

    public void zeroGradient() {
        java.util.Arrays.fill(thetaGradient, 0);
        if (deviationGradient != null) {
            java.util.Arrays.fill(deviationGradient, 0);
        }
    }

    /** Switches on the trainable deviation vector d (§4.8 step 7), initialised to 0. */
    public void enableDeviation() {
        if (deviation == null) {
            deviation = new double[outFeatures()];
            deviationGradient = new double[outFeatures()];
        }
    }

    public boolean hasDeviation() {
        return deviation != null;
    }

    /** A copy of d (empty when off). */
    public double[] deviation() {
        return deviation == null ? new double[0] : deviation.clone();
    }

    public void setDeviation(double[] values) {
        if (deviation == null || values.length != deviation.length) {
            throw new IllegalArgumentException(values.length + " deviation values for " + (deviation == null ? 0 : deviation.length));
        }
        System.arraycopy(values, 0, deviation, 0, values.length);
    }

    /** A copy of the accumulated {@code dL/dd} (empty when off). */
    public double[] deviationGradient() {
        return deviationGradient == null ? new double[0] : deviationGradient.clone();
    }

    /** {@code y = U diag(sigma ⊙ a) Vt' x + b} for each of the {@code tokens} rows of {@code x}. */
    public double[] forward(double[] x, int tokens) {
        double[] z = components(x, tokens);
        scaleColumns(z, tokens, effectiveScale());
        double[] y = DoubleMatrices.values(linalg.matmul(DoubleMatrices.of(z, tokens, components()), false, u, true));
        int m = outFeatures();
        if (bias != null) {
            for (int i = 0; i < y.length; i++) {
                y[i] += bias[i % m];
            }
        }
        if (deviation != null) {
            for (int i = 0; i < y.length; i++) {
                y[i] += deviation[i % m];
            }
        }
        return y;
    }

    /**
     * Given {@code gradY = dL/dy} [tokens, m] for the input {@code x} [tokens, n] of the forward pass, adds
     * {@code dL/dtheta} to {@link #scoreGradient()} and returns {@code dL/dx} [tokens, n]. The bias is frozen.
     */
    public double[] backward(double[] x, double[] gradY, int tokens) {
        int r = components();
        if (weightGradientSink != null) {
            weightGradientSink.accept(x, gradY, tokens);
        }
        double[] z = components(x, tokens);
        if (deviation != null) {
            int m = outFeatures();
            for (int i = 0; i < gradY.length; i++) {
                deviationGradient[i % m] += gradY[i];
            }
        }
        double[] projected = DoubleMatrices.values(linalg.matmul(DoubleMatrices.of(gradY, tokens, outFeatures()), false, u, false));
        for (int i = 0; i < r; i++) {
            if (theta[i] <= 0) {
                continue;
            }
            double sum = 0;
            for (int t = 0; t < tokens; t++) {
                sum += projected[t * r + i] * z[t * r + i];
            }
            thetaGradient[i] += sigma[i] * sum;
        }
        scaleColumns(projected, tokens, effectiveScale());
        return DoubleMatrices.values(linalg.matmul(DoubleMatrices.of(projected, tokens, r), false, right, false));
    }

    /** {@code z = Vt' x} per token: [tokens, r]. */
    private double[] components(double[] x, int tokens) {
        return DoubleMatrices.values(linalg.matmul(DoubleMatrices.of(x, tokens, inFeatures()), false, right, true));
    }

    private double[] effectiveScale() {
        double[] scale = new double[sigma.length];
        for (int i = 0; i < scale.length; i++) {
            scale[i] = sigma[i] * Math.max(theta[i], 0);
        }
        return scale;
    }

    private static void scaleColumns(double[] rows, int count, double[] scale) {
        int width = scale.length;
        for (int t = 0; t < count; t++) {
            for (int i = 0; i < width; i++) {
                rows[t * width + i] *= scale[i];
            }
        }
    }
}
