package io.svdwb.engine.compress.kernels;

import static io.svdwb.engine.compress.kernels.KernelTestMatrices.gaussian;
import static io.svdwb.engine.compress.kernels.KernelTestMatrices.relativeDifference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.linalg.LinearAlgebra;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * docs/METHODS.md §4.7. With the same whitening in both stages, REC equals the single whitened truncation at
 * r1 + r2 in exact arithmetic; the spec asks for ~1e-8 relative in double. The residual's top triplets
 * are components r1+1..r1+r2 of W S, so the rounding error (~u·‖W S‖) is amplified by 1/gap between
 * neighbouring singular values of a Gaussian matrix (gap/σ ~ 1e-2 here): ~1e-13, far below 1e-8.
 */
class ResidualSvdTest {

    private static final double TOL = 1e-8;
    private final LinearAlgebra la = LinearAlgebra.cpu();

    @Test
    void whitenedResidualEqualsSingleTruncation() {
        INDArray w = gaussian(40, 30, 201);
        INDArray s = la.cholesky(la.gram(gaussian(30, 90, 202)));
        for (int[] ranks : new int[][] {{7, 5}, {1, 1}, {20, 3}, {10, 20}}) {
            ResidualSvd.Composition c = ResidualSvd.compose(la, w, s, ranks[0], ranks[1],
                    ResidualSvd.ResidualMetric.WHITENED, "L30.q");
            int r = ranks[0] + ranks[1];
            INDArray single = WhitenedSvd.decompose(la, w, s, "L30.q").truncate(r).product(la);
            assertThat(relativeDifference(c.combined().product(la), single)).as("r1=%d r2=%d", ranks[0], ranks[1])
                    .isLessThan(TOL);
            assertThat(c.combined().rank()).isEqualTo(r);
            assertThat(c.stored()).isEqualTo((long) r * (40 + 30));
            // the concatenation is exactly the sum of the two stages
            assertThat(relativeDifference(c.combined().product(la), c.first().product(la).add(c.second().product(la))))
                    .isLessThan(1e-12);
        }
    }

    @Test
    void plainResidualIsStoredTheSameWay() {
        INDArray w = gaussian(40, 30, 203);
        INDArray s = la.cholesky(la.gram(gaussian(30, 90, 204)));
        ResidualSvd.Composition c = ResidualSvd.compose(la, w, s, 8, 4, ResidualSvd.ResidualMetric.PLAIN, "L30.o");
        assertThat(c.stored()).isEqualTo(12L * 70);
        // the plain second stage is the Eckart-Young truncation of the weight-space residual
        INDArray residual = w.sub(c.first().product(la));
        INDArray expected = PlainSvd.decompose(la, residual, "r").truncate(4).product(la);
        assertThat(relativeDifference(c.second().product(la), expected)).isLessThan(TOL);
    }

    @Test
    void residualRankRule() {
        // round(0.05 * 2048) = round(102.4) = 102; capped at total - 1
        assertThat(ResidualSvd.residualRank(4096, 4096, 1638, ResidualSvd.DEFAULT_BETA)).isEqualTo(102);
        assertThat(ResidualSvd.residualRank(4096, 4096, 50, ResidualSvd.DEFAULT_BETA)).isEqualTo(49);
        assertThat(ResidualSvd.residualRank(4096, 4096, 1, ResidualSvd.DEFAULT_BETA)).isZero();
    }

    @Test
    void ranksBeyondFullRankAreRejected() {
        INDArray w = gaussian(10, 8, 205);
        INDArray s = la.cholesky(la.gram(gaussian(8, 24, 206)));
        assertThatThrownBy(() -> ResidualSvd.compose(la, w, s, 6, 3, ResidualSvd.ResidualMetric.WHITENED, "L1.q"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("L1.q");
    }
}
