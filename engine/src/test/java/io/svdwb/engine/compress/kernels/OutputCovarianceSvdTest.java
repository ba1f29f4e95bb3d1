package io.svdwb.engine.compress.kernels;

import static io.svdwb.engine.compress.kernels.KernelTestMatrices.frobenius;
import static io.svdwb.engine.compress.kernels.KernelTestMatrices.gaussian;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.linalg.SvdResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * docs/METHODS.md §4.10: Swift-SVD's {@code W' = U_k U_kᵀ W} against independent computations of the optimum of
 * {@code ||(W - W') X||_F} over rank-k W'. Tolerance 1e-8 relative to {@code ||W X||_F} in double: C = W H Wᵀ squares
 * the condition of W X, so an eigenvector is accurate to about {@code u · lambda_1 / gap} ≈ 1e-16 · 1e4 for these
 * Gaussian problems (relative eigenvalue gaps above 1e-4), 1e-12; 1e-8 keeps a wide margin, and any formula error
 * (a transposed factor, the wrong side) is O(1).
 */
class OutputCovarianceSvdTest {

    private static final double TOL = 1e-8;
    private final LinearAlgebra la = LinearAlgebra.cpu();

    /** The rank-k truncated SVD of W X: the Eckart-Young optimum P of ||W X - P||_F, which W'X must equal. */
    private INDArray optimalProduct(INDArray wx, int k) {
        SvdResult svd = la.svd(wx);
        INDArray uk = svd.u().get(NDArrayIndex.all(), NDArrayIndex.interval(0, k));
        INDArray sk = svd.s().get(NDArrayIndex.interval(0, k)).reshape(1, k);
        INDArray vtk = svd.vt().get(NDArrayIndex.interval(0, k), NDArrayIndex.all());
        return la.matmul(uk.mulRowVector(sk), false, vtk, false);
    }

    @ParameterizedTest(name = "W {0} x {1}, {2} tokens")
    @CsvSource({"40, 30, 90", "20, 50, 150", "30, 40, 25"}) // the last: H singular (25 tokens for 40 inputs)
    void theProductEqualsTheTruncatedSvdOfWXAndTheLossItsTail(int m, int n, int tokens) {
        INDArray w = gaussian(m, n, 7);
        INDArray x = gaussian(n, tokens, 8);
        INDArray wx = la.matmul(w, false, x, false);
        LowRankDecomposition d = OutputCovarianceSvd.decompose(la, w, la.gram(x), "L0.q");
        assertThat(d.kind()).isEqualTo(LowRankDecomposition.Kind.OUTPUT_PROJECTED);
        assertThat(d.fullRank()).isEqualTo(Math.min(m, n));
        double[] sigma = la.singularValues(wx).toDoubleVector();
        double scale = frobenius(wx);
        int excited = Math.min(Math.min(m, n), tokens); // the rank of W X
        for (int k : new int[] {1, 3, excited / 2, excited - 1, excited}) {
            LowRankFactors f = d.truncate(k);
            INDArray approx = la.matmul(f.product(la), false, x, false);
            assertThat(frobenius(approx.sub(optimalProduct(wx, k))) / scale).as("k=%d", k).isLessThan(TOL);
            double tail = 0;
            for (int i = k; i < sigma.length; i++) {
                tail += sigma[i] * sigma[i];
            }
            double outputError = frobenius(wx.sub(approx));
            // the loss the decomposition reports is the tail of W X's spectrum and the measured output error
            assertThat(Math.abs(d.truncationLoss(k) - Math.sqrt(tail)) / scale).as("k=%d", k).isLessThan(TOL);
            assertThat(Math.abs(outputError - Math.sqrt(tail)) / scale).as("k=%d", k).isLessThan(TOL);
        }
    }

    /** With H positive definite, SVD-LLM's whitened truncation is the same minimiser: the two W' coincide. */
    @Test
    void theProductEqualsTheWhitenedSvdWhenHIsPositiveDefinite() {
        INDArray w = gaussian(36, 24, 11);
        INDArray x = gaussian(24, 72, 12);
        INDArray h = la.gram(x);
        LowRankDecomposition swift = OutputCovarianceSvd.decompose(la, w, h, "L1.down");
        LowRankDecomposition whitened = WhitenedSvd.decompose(la, w, la.cholesky(h), "L1.down");
        for (int k : new int[] {1, 6, 12, 23}) {
            INDArray a = swift.truncate(k).product(la);
            INDArray b = whitened.truncate(k).product(la);
            assertThat(frobenius(a.sub(b)) / frobenius(w)).as("k=%d", k).isLessThan(TOL);
            assertThat(Math.abs(swift.truncationLoss(k) - whitened.truncationLoss(k)) / whitened.truncationLoss(0))
                    .isLessThan(TOL);
        }
    }

    /** §2.2: A = U_k (orthonormal columns, m x k), B = U_kᵀ W (k x n), so k (m + n) numbers and W' = A Aᵀ W. */
    @Test
    void theFactorsAreTheOrthonormalBasisAndTheProjectedWeight() {
        INDArray w = gaussian(30, 20, 3);
        LowRankDecomposition d = OutputCovarianceSvd.decompose(la, w.castTo(DataType.FLOAT), la.gram(gaussian(20, 60, 4)), "L2.o");
        LowRankFactors f = d.truncate(5);
        assertThat(f.a().shape()).containsExactly(30, 5);
        assertThat(f.b().shape()).containsExactly(5, 20);
        assertThat(f.stored()).isEqualTo(5L * (30 + 20));
        INDArray gram = la.matmul(f.a(), true, f.a(), false);
        assertThat(frobenius(gram.sub(Nd4j.eye(5).castTo(DataType.DOUBLE)))).isLessThan(1e-12);
        // the float weight was widened exactly, so B = Aᵀ W holds to double rounding
        assertThat(frobenius(f.b().sub(la.matmul(f.a(), true, w.castTo(DataType.FLOAT).castTo(DataType.DOUBLE), false))))
                .isLessThan(1e-12 * frobenius(w));
    }

    @Test
    void aGramOfTheWrongSizeIsRefusedNamingTheMatrix() {
        assertThatThrownBy(() -> OutputCovarianceSvd.decompose(la, gaussian(8, 6, 1), la.gram(gaussian(5, 10, 2)), "L3.k"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("L3.k").hasMessageContaining("6 x 6");
        INDArray bad = la.gram(gaussian(6, 10, 2));
        bad.putScalar(1, 1, Double.NaN);
        assertThatThrownBy(() -> OutputCovarianceSvd.decompose(la, gaussian(8, 6, 1), bad, "L3.k"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("L3.k");
    }
}
