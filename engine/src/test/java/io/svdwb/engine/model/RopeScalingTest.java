package io.svdwb.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Inverse frequencies checked against values worked out by hand from the formulas of transformers' rope init. */
class RopeScalingTest {

    @Test
    void defaultFrequencies() {
        double[] inv = RopeScaling.NONE.inverseFrequencies(8, 10000);
        // 1 / 10000^(2i/8) for i = 0..3
        assertThat(inv).containsExactly(new double[] {1.0, 0.1, 0.01, 0.001}, within(1e-15));
    }

    @Test
    void linearDividesEveryFrequency() {
        double[] inv = RopeScaling.linear(4).inverseFrequencies(8, 10000);
        assertThat(inv).containsExactly(new double[] {0.25, 0.025, 0.0025, 0.00025}, within(1e-15));
    }

    @Test
    void llama3KeepsHighBandsScalesLowBandsAndBlendsTheMiddle() {
        // original context 8192, low_freq_factor 1 -> wavelengths above 8192 are divided by the factor 8;
        // high_freq_factor 4 -> wavelengths below 2048 are kept.
        RopeScaling s = RopeScaling.llama3(8, 1, 4, 8192);
        double[] inv = s.inverseFrequencies(8, 10000);
        // i=0: wavelength 2*pi ~ 6.3 < 2048, kept
        assertThat(inv[0]).isCloseTo(1.0, within(1e-15));
        // i=1: wavelength 62.8 < 2048, kept
        assertThat(inv[1]).isCloseTo(0.1, within(1e-15));
        // i=2: wavelength 628 < 2048, kept
        assertThat(inv[2]).isCloseTo(0.01, within(1e-15));
        // i=3: wavelength 6283.2 in [2048, 8192]: smooth = (8192/6283.185 - 1) / 3 = 0.1012658,
        // inv = (1 - smooth) * 0.001 / 8 + smooth * 0.001 = 0.00021360755
        double smooth = (8192 / (2 * Math.PI / 0.001) - 1) / 3;
        assertThat(smooth).isCloseTo(0.1012658, within(1e-7));
        assertThat(inv[3]).isCloseTo(0.00021360755, within(1e-11));
        // theta 500000 with head_dim 128 puts the lowest band above 8192 -> exactly divided by 8
        double[] wide = s.inverseFrequencies(128, 500000);
        double raw = 1.0 / Math.pow(500000, 126.0 / 128);
        assertThat(wide[63]).isCloseTo(raw / 8, within(raw * 1e-12));
    }
}
