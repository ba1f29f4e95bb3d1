package io.svdwb.engine.compress.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** docs/METHODS.md §2.2-2.4: the LLaMA-7B table and the Mistral GQA example, numbers copied from the spec. */
class RankFromRatioTest {

    private static final int HIDDEN = 4096;
    private static final int INTERMEDIATE = 11008;
    private static final int LAYERS = 32;
    private static final long LLAMA7B_LINEAR = 6_476_005_376L;
    private static final long LLAMA7B_ALL = 6_738_415_616L;

    /** The §2.3 table: c, attention rank, MLP rank, kept fraction (4 decimals), removed model fraction (3). */
    @ParameterizedTest
    @CsvSource({
        "0.2, 1638, 2388, 0.7999, 0.192",
        "0.4, 1228, 1791, 0.5998, 0.385",
        "0.6,  819, 1194, 0.3999, 0.577",
        "0.8,  409,  597, 0.1999, 0.769"})
    void llama7bTable(double c, int attnRank, int mlpRank, double kept, double removedModel) {
        assertThat(RankFromRatio.rank(HIDDEN, HIDDEN, c)).isEqualTo(attnRank);
        assertThat(RankFromRatio.rank(INTERMEDIATE, HIDDEN, c)).isEqualTo(mlpRank); // gate, up
        assertThat(RankFromRatio.rank(HIDDEN, INTERMEDIATE, c)).isEqualTo(mlpRank); // down

        List<RealisedRatio.Entry> entries = new ArrayList<>();
        for (int layer = 0; layer < LAYERS; layer++) {
            for (int i = 0; i < 4; i++) { // q, k, v, o
                entries.add(RealisedRatio.Entry.lowRank(HIDDEN, HIDDEN, RankFromRatio.rank(HIDDEN, HIDDEN, c)));
            }
            entries.add(RealisedRatio.Entry.lowRank(INTERMEDIATE, HIDDEN, RankFromRatio.rank(INTERMEDIATE, HIDDEN, c)));
            entries.add(RealisedRatio.Entry.lowRank(INTERMEDIATE, HIDDEN, RankFromRatio.rank(INTERMEDIATE, HIDDEN, c)));
            entries.add(RealisedRatio.Entry.lowRank(HIDDEN, INTERMEDIATE, RankFromRatio.rank(HIDDEN, INTERMEDIATE, c)));
        }
        RealisedRatio r = RealisedRatio.of(entries, LLAMA7B_ALL);
        assertThat(r.originalParameters()).isEqualTo(LLAMA7B_LINEAR);
        // the table rounds to 4 (kept) and 3 (model) decimals: half a unit of the last digit
        assertThat(r.keptFraction()).isCloseTo(kept, within(0.5e-4));
        assertThat(r.modelRatio()).isCloseTo(removedModel, within(0.5e-3));
        assertThat(r.effectiveRatio()).isCloseTo(1 - r.keptFraction(), within(1e-15));
        // floor rounding keeps slightly less than rho: the §2.2 target is met
        assertThat(r.meets(c, 0.002)).isTrue();
        assertThat(r.effectiveRatio()).isGreaterThanOrEqualTo(c);
    }

    /** Mistral GQA k/v 1024 x 4096: mn/(m+n) = 4194304/5120 = 819.2; floor(rho * 819.2) by hand. */
    @ParameterizedTest
    @CsvSource({
        "0.2, 655", // 0.8 * 819.2 = 655.36
        "0.4, 491", // 0.6 * 819.2 = 491.52
        "0.6, 327", // 0.4 * 819.2 = 327.68
        "0.8, 163"}) // 0.2 * 819.2 = 163.84
    void mistralGqa(double c, int expected) {
        assertThat(RankFromRatio.rank(1024, 4096, c)).isEqualTo(expected);
        assertThat(RankFromRatio.breakEvenRank(1024, 4096)).isEqualTo(819.2);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 1.0, -0.1, 1.5, Double.NaN, Double.POSITIVE_INFINITY})
    void ratioOutsideOpenUnitIntervalIsRejected(double c) {
        assertThatThrownBy(() -> RankFromRatio.rank(64, 64, c))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("strictly between 0 and 1");
    }

    @Test
    void badShapesAreRejected() {
        assertThatThrownBy(() -> RankFromRatio.rank(0, 64, 0.2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RankFromRatio.stored(4, 4, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rankIsClampedToAtLeastOne() {
        // floor(0.5 * 1 * 1 / 2) = 0 -> 1; floor(0.1 * 3 * 3 / 6) = 0 -> 1
        assertThat(RankFromRatio.rank(1, 1, 0.5)).isEqualTo(1);
        assertThat(RankFromRatio.rank(3, 3, 0.9)).isEqualTo(1);
    }

    @Test
    void storedDenseAndBreakEven() {
        assertThat(RankFromRatio.stored(HIDDEN, HIDDEN, 1638)).isEqualTo(1638L * 8192);
        assertThat(RankFromRatio.stored(INTERMEDIATE, HIDDEN, 2388)).isEqualTo(2388L * 15104);
        assertThat(RankFromRatio.dense(INTERMEDIATE, HIDDEN)).isEqualTo(45_088_768L);
        assertThat(RankFromRatio.breakEvenRank(HIDDEN, HIDDEN)).isEqualTo(2048.0);
        assertThat(RankFromRatio.factorisationIsSmaller(HIDDEN, HIDDEN, 2047)).isTrue();
        assertThat(RankFromRatio.factorisationIsSmaller(HIDDEN, HIDDEN, 2048)).isFalse(); // equal size
    }

    @Test
    void realisedRatioCountsDenseMatrices() {
        // one matrix dense, one at rank 10: kept = 100*100 + 10*200 of 20000
        RealisedRatio r = RealisedRatio.of(List.of(RealisedRatio.Entry.dense(100, 100),
                RealisedRatio.Entry.lowRank(100, 100, 10)), 30_000);
        assertThat(r.keptParameters()).isEqualTo(12_000);
        assertThat(r.effectiveRatio()).isCloseTo(0.4, within(1e-15));
        assertThat(r.modelRatio()).isCloseTo(8_000 / 30_000.0, within(1e-15));
    }
}
