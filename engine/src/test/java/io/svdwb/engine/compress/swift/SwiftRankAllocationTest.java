package io.svdwb.engine.compress.swift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.compress.kernels.RankFromRatio;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** docs/METHODS.md §4.10: the repository's dynamic allocation, and the budget it must never exceed (§2.5). */
class SwiftRankAllocationTest {

    private static SwiftRankAllocation.Matrix q(int layer, double outputNorm) {
        return new SwiftRankAllocation.Matrix("Q", layer, 64, 64, RankFromRatio.rank(64, 64, 0.4), outputNorm);
    }

    /**
     * Worked by hand from dynamic_rank_allocation.py: rho = 0.6, two 64 x 64 matrices, uniform rank floor(19.2) = 19
     * each, budget 38; base floor(64 · 0.25 · 0.6) = 9 each, 20 left. Importance 0.1, 0.3 normalises to 1 and
     * 0.2 / (0.2 + 1e-6) + 1 = 1.999995; equal norms, so the shares are 1 : 1.999995^0.6 = 0.3975 : 0.6025, extras
     * floor(7.95) = 7 and floor(12.05) = 12, and the one left over goes to the higher score: 16 and 22.
     */
    @Test
    void ranksMatchTheRepositoryFormulaWorkedByHand() {
        int[] ranks = SwiftRankAllocation.allocate(List.of(q(0, 100), q(1, 100)), Map.of(0, 0.1, 1, 0.3), 0.6, 0.6);
        assertThat(ranks).containsExactly(16, 22);
    }

    /** alpha = 0 ignores importance: the larger output norm gets the larger rank; alpha = 1 ignores the norms. */
    @Test
    void alphaMovesTheWeightBetweenOutputNormAndImportance() {
        List<SwiftRankAllocation.Matrix> matrices = List.of(q(0, 1e6), q(1, 10));
        Map<Integer, Double> importance = Map.of(0, 0.1, 1, 0.9);
        int[] lossOnly = SwiftRankAllocation.allocate(matrices, importance, 0.6, 0);
        int[] importanceOnly = SwiftRankAllocation.allocate(matrices, importance, 0.6, 1);
        assertThat(lossOnly[0]).isGreaterThan(lossOnly[1]);
        assertThat(importanceOnly[1]).isGreaterThan(importanceOnly[0]);
        assertThat(lossOnly[0] + lossOnly[1]).isEqualTo(38);
        assertThat(importanceOnly[0] + importanceOnly[1]).isEqualTo(38);
    }

    /**
     * A gate 400 x 100 at rho = 0.6: the repository's base floor(400 · 0.25 · 0.6) = 60 exceeds the uniform rank
     * floor(0.6 · 400 · 100 / 500) = 48 and would overspend; ours caps it, so every gate keeps exactly 48.
     */
    @Test
    void aBaseAboveTheUniformRankIsCappedNotOverspent() {
        List<SwiftRankAllocation.Matrix> gates = new ArrayList<>();
        Map<Integer, Double> importance = new HashMap<>();
        for (int layer = 0; layer < 4; layer++) {
            gates.add(new SwiftRankAllocation.Matrix("GATE", layer, 400, 100, RankFromRatio.rank(400, 100, 0.4), 50 + layer));
            importance.put(layer, 0.1 * layer);
        }
        assertThat(SwiftRankAllocation.allocate(gates, importance, 0.6, 0.6)).containsOnly(48);
    }

    /** 2000 random models: per group, the stored numbers never exceed the uniform k(rho) budget; ranks in [1, min(m, n)]. */
    @Test
    void theAllocationNeverExceedsTheBudget() {
        Random rng = new Random(14);
        int[][] shapes = {{64, 64}, {32, 64}, {172, 64}, {64, 172}, {11008, 4096}, {4096, 4096}, {7, 3}};
        for (int trial = 0; trial < 2000; trial++) {
            double ratio = 0.05 + 0.9 * rng.nextDouble();
            double alpha = rng.nextDouble();
            int layers = 1 + rng.nextInt(12);
            List<SwiftRankAllocation.Matrix> matrices = new ArrayList<>();
            Map<Integer, Double> importance = new HashMap<>();
            Map<String, Long> budget = new HashMap<>();
            for (int layer = 0; layer < layers; layer++) {
                importance.put(layer, rng.nextDouble());
                for (int type = 0; type < shapes.length; type++) {
                    if (rng.nextInt(4) == 0) {
                        continue; // partial selections
                    }
                    int m = shapes[type][0];
                    int n = shapes[type][1];
                    int k = RankFromRatio.rank(m, n, ratio);
                    double norm = rng.nextInt(10) == 0 ? 0 : Math.exp(10 * rng.nextDouble());
                    matrices.add(new SwiftRankAllocation.Matrix("T" + type, layer, m, n, k, norm));
                    budget.merge("T" + type, RankFromRatio.stored(m, n, k), Long::sum);
                }
            }
            int[] ranks = SwiftRankAllocation.allocate(matrices, importance, 1 - ratio, alpha);
            Map<String, Long> spent = new HashMap<>();
            for (int i = 0; i < ranks.length; i++) {
                SwiftRankAllocation.Matrix m = matrices.get(i);
                assertThat(ranks[i]).isBetween(1, Math.min(m.rows(), m.cols()));
                spent.merge(m.group(), RankFromRatio.stored(m.rows(), m.cols(), ranks[i]), Long::sum);
            }
            spent.forEach((group, used) -> assertThat(used).as("group %s", group).isLessThanOrEqualTo(budget.get(group)));
        }
    }

    @Test
    void badInputIsRefusedWithTheValue() {
        List<SwiftRankAllocation.Matrix> one = List.of(q(0, 1));
        assertThatThrownBy(() -> SwiftRankAllocation.allocate(one, Map.of(0, 0.5), 0.6, 1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5").hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> SwiftRankAllocation.allocate(one, Map.of(), 0.6, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer 0");
        List<SwiftRankAllocation.Matrix> mixed = List.of(q(0, 1), new SwiftRankAllocation.Matrix("Q", 1, 32, 64, 5, 1));
        assertThatThrownBy(() -> SwiftRankAllocation.allocate(mixed, Map.of(0, 0.1, 1, 0.2), 0.6, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mixes shapes");
        assertThatThrownBy(() -> new SwiftSvdOptions(SwiftSvdOptions.Allocation.DYNAMIC, -0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-0.1");
    }
}
