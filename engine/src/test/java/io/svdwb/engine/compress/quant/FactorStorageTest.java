package io.svdwb.engine.compress.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.compress.kernels.RealisedRatio;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/METHODS.md §2.6: the bit accounting against hand counts, and the rank from the bit budget against a search. */
class FactorStorageTest {

    private static final FactorStorage INT8_16 = new FactorStorage(FactorStorage.Precision.INT8, 16);
    private static final FactorStorage INT8_32 = new FactorStorage(FactorStorage.Precision.INT8, 32);

    /** The demo model's up_proj (172 x 64) at rank 10, counted by hand. */
    @Test
    void bitsEqualAHandCount() {
        // codes: 10 (172 + 64) = 2360 numbers x 8 bits = 18,880; scales: 172 rows of A + 10 rows of B, x 32 = 5,824
        assertThat(INT8_16.lowRankBits(172, 64, 10)).isEqualTo(18_880 + 5_824);
        // at the baseline: 2360 numbers x 16 bits
        assertThat(FactorStorage.BASELINE.lowRankBits(172, 64, 10)).isEqualTo(37_760);
        assertThat(INT8_16.denseBits(172, 64)).isEqualTo(172 * 64 * 16);
        assertThat(INT8_32.denseBits(172, 64)).isEqualTo(172 * 64 * 32);
    }

    /**
     * LLaMA-7B's 4096 x 4096 at c = 0.4, by hand: budget 0.6 x 4096^2 x 16 = 161,061,273.6 bits, less A's scales
     * 32 x 4096 = 131,072, over 8 x 8192 + 32 = 65,568 bits per component: 2454.4, so k = 2454 (twice 1228 almost).
     */
    @Test
    void int8RankOfASquareLlamaMatrixByHand() {
        assertThat(INT8_16.rank(4096, 4096, 0.4)).isEqualTo(2454);
        assertThat(RankFromRatio.rank(4096, 4096, 0.4)).isEqualTo(1228);
    }

    /**
     * The rank is the largest k in [1, min(m, n)] whose bits fit the budget (1 - c) m n B: checked against a linear
     * search over k, for the demo model's shapes, LLaMA's, and odd ones. At the baseline it is exactly §2.3's rank.
     */
    @Test
    void rankIsTheLargestThatFitsTheBitBudget() {
        int[][] shapes = {{64, 64}, {172, 64}, {64, 172}, {4096, 4096}, {11008, 4096}, {1024, 4096}, {3, 500}, {1, 1}, {7, 9}};
        double[] ratios = {0.05, 0.2, 0.4, 0.5, 0.6, 0.8, 0.95};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            for (double c : ratios) {
                assertThat(FactorStorage.BASELINE.rank(m, n, c)).isEqualTo(RankFromRatio.rank(m, n, c));
                for (FactorStorage storage : List.of(INT8_16, INT8_32)) {
                    double budget = (1 - c) * m * n * storage.baselineBits();
                    int expected = 1;
                    for (int k = 1; k <= Math.min(m, n); k++) {
                        if (storage.lowRankBits(m, n, k) <= budget) {
                            expected = k;
                        }
                    }
                    assertThat(storage.rank(m, n, c)).as("%d x %d at c = %s, %d-bit baseline", m, n, c, storage.baselineBits())
                            .isEqualTo(expected);
                }
            }
        }
    }

    /** The ratio in bits of two matrices, one int8 pair and one left dense, by hand. */
    @Test
    void realisedRatioInBitsByHand() {
        long pairBits = INT8_16.lowRankBits(64, 64, 20);   // 8 x 20 x 128 + 32 x 84 = 20,480 + 2,688 = 23,168
        assertThat(pairBits).isEqualTo(23_168);
        RealisedRatio r = RealisedRatio.ofBits(List.of(new RealisedRatio.Entry(64, 64, pairBits),
                new RealisedRatio.Entry(64, 172, INT8_16.denseBits(64, 172))), 16, 100_000);
        long original = (64 * 64 + 64 * 172) * 16L;   // 241,664
        assertThat(r.originalParameters()).isEqualTo(original);
        assertThat(r.keptParameters()).isEqualTo(23_168 + 64 * 172 * 16L);
        assertThat(r.effectiveRatio()).isCloseTo(1 - (23_168 + 176_128) / 241_664.0, within(1e-15));
        assertThat(r.modelRatio()).isCloseTo((241_664 - 23_168 - 176_128) / 1_600_000.0, within(1e-15));
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new FactorStorage(FactorStorage.Precision.INT8, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16").hasMessageContaining("got 8");
        assertThatThrownBy(() -> FactorStorage.Precision.parse("int4"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseline or int8, got 'int4'");
        assertThatThrownBy(() -> INT8_16.rank(64, 64, 1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
