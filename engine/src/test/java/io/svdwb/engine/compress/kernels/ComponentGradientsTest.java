package io.svdwb.engine.compress.kernels;

import static io.svdwb.engine.compress.kernels.KernelTestMatrices.gaussian;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.engine.linalg.LinearAlgebra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Zero-Sum SVD's component scores (docs/METHODS.md §4.11) on random matrices, against the reference's own formula: an
 * independent plain SVD of {@code A = W S} and {@code dL/dsigma_i = u_iᵀ (G S⁻ᵀ) v_i}, with {@code G S⁻ᵀ} from a forward
 * substitution written here. Signs of u_i, v_i flip together, so the product is comparable; raw U and V are not.
 * Tolerance 1e-9 relative to max |score|: both paths are backward-stable double computations (an SVD, a triangular
 * solve) with κ(S) below 10, so they agree to ~1e-13; a wrong transpose or factor gives O(1).
 */
class ComponentGradientsTest {

    private final LinearAlgebra la = LinearAlgebra.cpu();

    @ParameterizedTest
    @CsvSource({"12, 9", "7, 15"})
    void scoresEqualTheWhitenedCoordinateFormulaOfAnIndependentSvd(int m, int n) {
        INDArray w = gaussian(m, n, 31);
        INDArray s = la.cholesky(la.gram(gaussian(n, 3 * n, 32)));
        INDArray g = gaussian(m, n, 33);

        LowRankDecomposition d = WhitenedSvd.decompose(la, w, s, "t");
        double[] scores = ComponentGradients.sigmaGradients(la, d.left(), d.right(), g);

        var svd = la.svd(la.matmul(w, false, s, false));
        double[][] h = rightSolveTranspose(g.toDoubleMatrix(), s.toDoubleMatrix()); // G S^{-T}
        double[][] u = svd.u().toDoubleMatrix();
        double[][] vt = svd.vt().toDoubleMatrix();
        double largest = 0;
        for (double x : scores) {
            largest = Math.max(largest, Math.abs(x));
        }
        for (int i = 0; i < scores.length; i++) {
            double expected = 0;
            for (int a = 0; a < m; a++) {
                for (int b = 0; b < n; b++) {
                    expected += u[a][i] * h[a][b] * vt[i][b];
                }
            }
            assertThat(scores[i]).as("component %d", i).isCloseTo(expected, within(1e-9 * largest));
        }
    }

    /** {@code Σ_i sigma_i dL/dsigma_i = <G, W>}, because {@code W = Σ_i sigma_i l_i r_iᵀ} (Euler's identity, degree 1). */
    @Test
    void sigmaWeightedScoresSumToTheInnerProductOfGradientAndWeight() {
        INDArray w = gaussian(10, 14, 41);
        INDArray g = gaussian(10, 14, 42);
        LowRankDecomposition d = WhitenedSvd.decompose(la, w, la.cholesky(la.gram(gaussian(14, 40, 43))), "t");
        double[] changes = ComponentGradients.removalLossChanges(d.singularValues(),
                ComponentGradients.sigmaGradients(la, d.left(), d.right(), g));
        double sum = 0;
        for (double c : changes) {
            sum -= c;
        }
        double inner = w.mul(g).sumNumber().doubleValue();
        assertThat(sum).isCloseTo(inner, within(1e-10 * w.norm2Number().doubleValue() * g.norm2Number().doubleValue()));
    }

    @Test
    void mismatchedShapesAndLengthsAreRefused() {
        LowRankDecomposition d = PlainSvd.decompose(la, gaussian(6, 5, 1), "t");
        assertThatThrownBy(() -> ComponentGradients.sigmaGradients(la, d.left(), d.right(), gaussian(5, 6, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not fit");
        assertThatThrownBy(() -> ComponentGradients.removalLossChanges(new double[3], new double[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 singular values but 2");
    }

    /** H with {@code H Sᵀ = G}, S lower triangular: row by row, {@code S hᵀ = gᵀ} by forward substitution. */
    private static double[][] rightSolveTranspose(double[][] g, double[][] s) {
        int n = s.length;
        double[][] h = new double[g.length][n];
        for (int row = 0; row < g.length; row++) {
            for (int i = 0; i < n; i++) {
                double v = g[row][i];
                for (int k = 0; k < i; k++) {
                    v -= s[i][k] * h[row][k];
                }
                h[row][i] = v / s[i][i];
            }
        }
        return h;
    }
}
