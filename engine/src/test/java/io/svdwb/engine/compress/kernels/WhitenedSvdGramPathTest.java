package io.svdwb.engine.compress.kernels;

import static io.svdwb.engine.compress.kernels.KernelTestMatrices.frobenius;
import static io.svdwb.engine.compress.kernels.KernelTestMatrices.gaussian;
import static io.svdwb.engine.compress.kernels.KernelTestMatrices.relativeDifference;
import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.linalg.LinearAlgebra;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The whitened SVD on the Gram path (-Dsvdwb.svd=gram), where a W S with no more rows than columns gets its right
 * factor as Σ⁻¹ Uᵀ W instead of Vᵀ S⁻¹: the same decomposition in exact arithmetic. Checked by the identity
 * ‖(W − W_k) X‖_F = sqrt(Σ_{i>k} σ_i²) with σ from gesdd on W S, by W itself at full rank, and against the gesdd path's
 * truncations. Tolerance 1e-8 relative as in {@link WhitenedSvdTest}; the Gram path's own error, n·eps·(σ_1/σ_min)²,
 * is checked to be a tenth of it or less for each problem (2.5e-10 for the square one, whose σ_1/σ_min is 194).
 */
class WhitenedSvdGramPathTest {

    private static final double TOL = 1e-8;
    private final LinearAlgebra la = LinearAlgebra.cpu();

    @BeforeEach
    void useTheGramPath() {
        System.setProperty(SvdSolver.PROPERTY, "gram");
    }

    @AfterEach
    void restore() {
        System.clearProperty(SvdSolver.PROPERTY);
    }

    @ParameterizedTest
    @CsvSource({"20, 50", "30, 30", "40, 30"})
    void outputErrorIsTheDiscardedSpectrumAndFullRankGivesWBack(int m, int n) {
        INDArray w = gaussian(m, n, 71);
        INDArray x = gaussian(n, 3 * n, 72);
        INDArray s = la.cholesky(la.gram(x));
        LowRankDecomposition dec = WhitenedSvd.decompose(la, w, s, "L0.down");
        double[] expected = la.singularValues(la.matmul(w, false, s, false)).toDoubleVector();
        double condition = expected[0] / expected[expected.length - 1];
        assertThat(Math.max(m, n) * 0x1p-52 * condition * condition).as("the Gram path's error bound").isLessThan(TOL / 10);
        double scale = frobenius(la.matmul(w, false, x, false));
        for (int k : new int[] {1, 3, dec.fullRank() / 2, dec.fullRank() - 1}) {
            double err = frobenius(la.matmul(w.sub(dec.truncate(k).product(la)), false, x, false));
            double tail = 0;
            for (int i = k; i < expected.length; i++) {
                tail += expected[i] * expected[i];
            }
            assertThat(Math.abs(err - Math.sqrt(tail)) / scale).as("k=%d", k).isLessThan(TOL);
        }
        assertThat(relativeDifference(dec.truncate(dec.fullRank()).product(la), w)).isLessThan(TOL);

        System.setProperty(SvdSolver.PROPERTY, "gesdd");
        LowRankDecomposition exact = WhitenedSvd.decompose(la, w, s, "L0.down");
        for (int k : new int[] {2, dec.fullRank() / 2}) {
            assertThat(relativeDifference(dec.truncate(k).product(la), exact.truncate(k).product(la))).as("k=%d", k)
                    .isLessThan(TOL);
        }
    }
}
