package io.svdwb.engine.compress.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.compress.allocation.ModuleKnapsack.Objective;
import io.svdwb.engine.compress.allocation.ModuleKnapsack.Option;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Knapsack against brute force (≤ 6 modules × 4 options); losses are exact sums, so tol 1e-12. */
class ModuleKnapsackTest {

    @Test
    void matchesBruteForceAndNeverExceedsBudget() {
        Random rng = new Random(5L);
        for (int t = 0; t < 500; t++) {
            int nm = 1 + rng.nextInt(6);
            List<List<Option>> mods = new ArrayList<>();
            long total = 0;
            for (int j = 0; j < nm; j++) {
                List<Option> o = new ArrayList<>();
                for (int i = 0; i < 1 + rng.nextInt(4); i++) {
                    o.add(new Option(1 + rng.nextInt(200), rng.nextDouble() * 10 - 2));
                }
                mods.add(o);
                total += o.stream().mapToLong(Option::cost).max().orElseThrow();
            }
            long budget = rng.nextLong(total + 1);
            for (Objective obj : Objective.values()) {
                // exact granularity (unit 1): DP must equal brute force
                var a = ModuleKnapsack.solve(mods, budget, Integer.MAX_VALUE - 2, obj);
                double[] bf = brute(mods, budget, obj);
                if (bf == null) {
                    assertThat(a).isNull();
                    continue;
                }
                assertThat(a.cost()).isLessThanOrEqualTo(budget);
                if (obj == Objective.CLOSEST_TO_BUDGET) {
                    assertThat(a.cost()).isEqualTo((long) bf[0]);
                }
                assertThat(a.loss()).isCloseTo(bf[1], org.assertj.core.api.Assertions.within(1e-12));
                // coarse granularity: still within budget
                var c = ModuleKnapsack.solve(mods, budget, 10, obj);
                if (c != null) {
                    assertThat(c.cost()).isLessThanOrEqualTo(budget);
                }
            }
        }
    }

    private static double[] brute(List<List<Option>> mods, long budget, Objective obj) {
        double[] best = null;
        int[] idx = new int[mods.size()];
        while (true) {
            long c = 0;
            double l = 0;
            for (int j = 0; j < idx.length; j++) {
                c += mods.get(j).get(idx[j]).cost();
                l += mods.get(j).get(idx[j]).loss();
            }
            if (c <= budget && (best == null || (obj == Objective.MIN_LOSS ? l < best[1]
                    : c > best[0] || c == best[0] && l < best[1]))) {
                best = new double[] {c, l};
            }
            int j = 0;
            while (j < idx.length && ++idx[j] == mods.get(j).size()) {
                idx[j++] = 0;
            }
            if (j == idx.length) {
                return best;
            }
        }
    }
}
