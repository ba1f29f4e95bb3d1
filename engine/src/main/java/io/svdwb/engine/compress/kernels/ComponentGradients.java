package io.svdwb.engine.compress.kernels;

import io.svdwb.engine.linalg.LinearAlgebra;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * First-order loss estimates per singular component (Zero-Sum SVD, docs/METHODS.md §4.11).
 *
 * <p>For {@code W = L diag(sigma) R} (a {@link LowRankDecomposition}), {@code dW/dsigma_i = l_i r_iᵀ}, so with
 * {@code G = dLoss/dW} the chain rule gives {@code dLoss/dsigma_i = l_iᵀ G r_iᵀ}. For the whitened decomposition
 * ({@code L = U}, {@code R = Vᵀ S⁻¹}) this is the reference's {@code u_iᵀ (G S⁻ᵀ) v_i}, the gradient in whitened
 * coordinates, without a second solve with S. Removing component i changes sigma_i by {@code -sigma_i}, so the loss
 * changes by {@code ΔL_i ≈ -sigma_i dLoss/dsigma_i} to first order.
 */
public final class ComponentGradients {

    private ComponentGradients() {
    }

    /**
     * {@code dLoss/dsigma_i = l_iᵀ G r_iᵀ} for every component.
     *
     * @param left     L, m x r
     * @param right    R, r x n
     * @param gradient G, m x n
     */
    public static double[] sigmaGradients(LinearAlgebra linalg, INDArray left, INDArray right, INDArray gradient) {
        if (left.rank() != 2 || right.rank() != 2 || gradient.rank() != 2 || left.columns() != right.rows()
                || gradient.rows() != left.rows() || gradient.columns() != right.columns()) {
            throw new IllegalArgumentException("L " + java.util.Arrays.toString(left.shape()) + ", R "
                    + java.util.Arrays.toString(right.shape()) + " and G " + java.util.Arrays.toString(gradient.shape())
                    + " do not fit W = L diag(sigma) R with G the size of W");
        }
        INDArray projected = linalg.matmul(left, true, gradient, false); // Lᵀ G, r x n
        double[] p = io.svdwb.engine.tensor.NdArrays.toDoubles(projected);
        double[] r = io.svdwb.engine.tensor.NdArrays.toDoubles(right);
        projected.close();
        int components = (int) right.rows();
        int n = (int) right.columns();
        double[] out = new double[components];
        for (int i = 0; i < components; i++) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += p[i * n + j] * r[i * n + j];
            }
            out[i] = sum;
        }
        return out;
    }

    /** {@code ΔL_i = -sigma_i dLoss/dsigma_i}, the first-order loss change of removing component i. */
    public static double[] removalLossChanges(double[] sigma, double[] sigmaGradients) {
        if (sigma.length != sigmaGradients.length) {
            throw new IllegalArgumentException(sigma.length + " singular values but " + sigmaGradients.length + " gradients");
        }
        double[] out = new double[sigma.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = -sigma[i] * sigmaGradients[i];
        }
        return out;
    }
}
