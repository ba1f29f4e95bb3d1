package io.svdwb.engine.compress.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** docs/METHODS.md §4.5 steps 2-3 (SVD-LLM V2's Algorithm 1), checked against hand-computed values. */
class LossBasedRatiosTest {

    private static final String[] THREE = {"L0.q", "L1.q", "L2.q"};

    @Test
    void ratiosFollowTheInverseLogOfTheLossAndKeepTheMean() {
        // L = e, e², e⁴: w = 1, 1/2, 1/4 (sum 7/4); R_i = 3 · 0.4 · w_i / (7/4) = 0.6857.., 0.3428.., 0.1714..
        double[] r = LossBasedRatios.ratios(new double[] {Math.E, Math.exp(2), Math.exp(4)}, THREE, 0.4, 0.95);
        // exact up to the rounding of exp/log (1e-15); 1e-12 fails on any formula error
        assertThat(r[0]).isCloseTo(1.2 / 1.75, within(1e-12));
        assertThat(r[1]).isCloseTo(0.6 / 1.75, within(1e-12));
        assertThat(r[2]).isCloseTo(0.3 / 1.75, within(1e-12));
        assertThat(Arrays.stream(r).average().orElseThrow()).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void aRatioAboveTheCapIsCappedAndTheOthersTakeTheExcess() {
        // L = e, e^10, e^10 at R = 0.6: uncapped 1.8 · (1, .1, .1)/1.2 = 1.5, .15, .15; the first is capped at 0.95
        // and the other two share 1.8 - 0.95 = 0.85 equally: 0.425 each
        double[] r = LossBasedRatios.ratios(new double[] {Math.E, Math.exp(10), Math.exp(10)}, THREE, 0.6, 0.95);
        assertThat(r[0]).isEqualTo(0.95);
        assertThat(r[1]).isCloseTo(0.425, within(1e-12));
        assertThat(r[2]).isCloseTo(0.425, within(1e-12));
    }

    @Test
    void equalLossesGiveTheUniformRatio() {
        double[] r = LossBasedRatios.ratios(new double[] {50, 50, 50}, THREE, 0.2, 0.95);
        for (double x : r) {
            assertThat(x).isCloseTo(0.2, within(1e-15));
        }
    }

    @Test
    void aLossNotAboveOneIsRefusedNamingTheMatrix() {
        assertThatThrownBy(() -> LossBasedRatios.ratios(new double[] {5, 0.5, 7}, THREE, 0.4, 0.95))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("L1.q").hasMessageContaining("0.5");
        assertThatThrownBy(() -> LossBasedRatios.ratios(new double[] {5, 6, 7}, THREE, 0.97, 0.95))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.97");
    }
}
