package io.svdwb.engine.compress.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Zero-Sum SVD's global selection (docs/METHODS.md §4.11): a drop sequence worked out by hand, the budget never
 * exceeded (stored numbers recomputed here from the ranks with §2.4's rule), and the edge cases.
 */
class ZeroSumSelectionTest {

    /**
     * Three 3 x 3 matrices (full rank 3, r* = floor(8 / 6) = 1: rank 2 still stores 12 > 9 numbers, rank 1 stores 6),
     * target 6, i.e. two matrices must reach rank 1. By hand, with A = [., -0.5, +0.1], B = [., +0.2, -0.1],
     * C = [., +0.05, +0.3] (tails dropped first):
     * sum 0 -> positive queue {A2 0.1, C2 0.3}: A2, sum 0.1; A offers A1 -0.5.
     * sum > 0 -> negative queue {B2 -0.1, A1 -0.5}: B2, sum 0; B offers B1 +0.2.
     * sum 0 -> positive queue {C2 0.3, B1 0.2}: B1, sum 0.2, B at rank 1 frees 9 - 6 = 3.
     * sum > 0 -> negative queue {A1}: A1, sum -0.3, A at rank 1 frees 3; 6 removed, stop.
     * C never moved and is dense (rank 0 in the result). A greedy smallest-|ΔL| rule would have dropped C1 (0.05) early.
     */
    @Test
    void theDropOrderBalancesSignsAsWorkedOutByHand() {
        List<ZeroSumSelection.Scores> matrices = List.of(new ZeroSumSelection.Scores(3, 3, new double[] {9, -0.5, 0.1}),
                new ZeroSumSelection.Scores(3, 3, new double[] {9, 0.2, -0.1}), new ZeroSumSelection.Scores(3, 3, new double[] {9, 0.05, 0.3}));
        ZeroSumSelection.Result r = ZeroSumSelection.select(matrices, 6, 0);
        assertThat(r.ranks()).containsExactly(1, 1, 0);
        assertThat(r.stored()).isEqualTo(6 + 6 + 9);
        assertThat(r.removed()).isEqualTo(6);
        assertThat(r.predictedLoss()).isCloseTo(-0.3, within(1e-15));
    }

    /**
     * Random scores and shapes at many ratios, edge ratios included (0.001 needs one matrix to cross r*; at 0.85 the
     * budget, 888 of 5920, is close to every matrix at rank 1, 820): the stored numbers never exceed the budget.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.001, 0.05, 0.2, 0.4, 0.6, 0.8, 0.85})
    void theBudgetIsNeverExceeded(double ratio) {
        SplittableRandom random = new SplittableRandom(Double.doubleToLongBits(ratio));
        int[][] shapes = {{16, 16}, {8, 16}, {16, 8}, {24, 16}, {16, 24}, {5, 40}};
        List<ZeroSumSelection.Scores> matrices = new ArrayList<>();
        long original = 0;
        for (int w = 0; w < 4 * shapes.length; w++) {
            int m = shapes[w % shapes.length][0];
            int n = shapes[w % shapes.length][1];
            double[] changes = new double[Math.min(m, n)];
            for (int i = 0; i < changes.length; i++) {
                changes[i] = random.nextGaussian() * Math.exp(-0.2 * i);
            }
            matrices.add(new ZeroSumSelection.Scores(m, n, changes));
            original += (long) m * n;
        }
        long budget = (long) Math.floor((1 - ratio) * original);
        ZeroSumSelection.Result r = ZeroSumSelection.select(matrices, original - budget, 0);
        long stored = 0;
        for (int w = 0; w < matrices.size(); w++) {
            int m = matrices.get(w).rows();
            int n = matrices.get(w).cols();
            int k = r.ranks()[w];
            // §2.4: dense m n, or k (m + n) for factors that are smaller than W
            assertThat(k == 0 || (long) k * (m + n) < (long) m * n).as("matrix %d at rank %d", w, k).isTrue();
            stored += k == 0 ? (long) m * n : (long) k * (m + n);
        }
        assertThat(stored).isEqualTo(r.stored()).isLessThanOrEqualTo(budget);
        assertThat(r.removed()).isEqualTo(original - stored);
    }

    @Test
    void aTargetOfZeroKeepsEveryMatrixDense() {
        ZeroSumSelection.Result r = ZeroSumSelection.select(List.of(new ZeroSumSelection.Scores(8, 8, new double[] {1, 2, 3, 4, 5, 6, 7, 8})), 0, 0);
        assertThat(r.ranks()).containsExactly(0);
        assertThat(r.stored()).isEqualTo(64);
    }

    /** Floor 1: no matrix goes below r*, so the most that can go is Σ (m n - r* (m + n)); one more is refused. */
    @Test
    void aRankFloorOfOneStopsEveryMatrixAtItsBreakEvenRankAndAnUnreachableTargetIsRefused() {
        // 8 x 8: r* = floor(63 / 16) = 3, frees 64 - 48 = 16; 6 x 10: r* = floor(59 / 16) = 3, frees 60 - 48 = 12
        List<ZeroSumSelection.Scores> matrices = List.of(new ZeroSumSelection.Scores(8, 8, new double[] {8, 7, 6, 5, 4, 3, 2, 1}),
                new ZeroSumSelection.Scores(6, 10, new double[] {-6, -5, -4, -3, -2, -1}));
        ZeroSumSelection.Result r = ZeroSumSelection.select(matrices, 28, 1);
        assertThat(r.ranks()).containsExactly(3, 3);
        assertThat(r.stored()).isEqualTo(48 + 48);
        assertThatThrownBy(() -> ZeroSumSelection.select(matrices, 29, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot remove 29 parameters").hasMessageContaining("only 28");
    }

    /** A 1 x 1 matrix has r* = 0 (rank 1 stores 2 > 1 numbers): it is never a candidate and stays dense. */
    @Test
    void aMatrixWithoutAProfitableRankStaysDense() {
        List<ZeroSumSelection.Scores> matrices = List.of(new ZeroSumSelection.Scores(1, 1, new double[] {0}),
                new ZeroSumSelection.Scores(4, 12, new double[] {4, 3, 2, 1}));
        ZeroSumSelection.Result r = ZeroSumSelection.select(matrices, 16, 0);
        // 4 x 12: r* = floor(47 / 16) = 2 frees 48 - 32 = 16
        assertThat(r.ranks()).containsExactly(0, 2);
        assertThat(r.stored()).isEqualTo(1 + 32);
    }

    @Test
    void badInputIsRefused() {
        assertThatThrownBy(() -> new ZeroSumSelection.Scores(3, 2, new double[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 x 2");
        assertThatThrownBy(() -> ZeroSumSelection.select(List.of(), 0, 1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.5");
    }
}
