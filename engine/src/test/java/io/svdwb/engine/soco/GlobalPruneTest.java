package io.svdwb.engine.soco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GlobalPruneTest {

    @Test
    void keepsTheLargestMultipliersAcrossMatricesWithinTheBudget() {
        // matrix 0 costs 10 per component, matrix 1 costs 30. Best components first: m0[0], m1[1] (reserved),
        // then 1.5 (m1[0], 30), 1.2 (m0[2], 10), 0.9 (m1[2], 30: would exceed), 0.5 (m0[1], 10), dead ones never
        List<double[]> a = List.of(new double[] {2.0, 0.5, 1.2, 0}, new double[] {1.5, 1.8, 0.9});
        List<int[]> kept = GlobalPrune.keep(a, new long[] {10, 30}, 100);
        // reserved 10 + 30 = 40; + m1[0] 30 = 70; + m0[2] 10 = 80; m1[2] 30 -> 110 > 100 skipped; + m0[1] 10 = 90
        assertArrayEquals(new int[] {0, 1, 2}, kept.get(0));
        assertArrayEquals(new int[] {0, 1}, kept.get(1));
    }

    @Test
    void aDeadMatrixStillKeepsOneComponentAndDeadComponentsAreNeverAdded() {
        List<int[]> kept = GlobalPrune.keep(List.of(new double[] {0, 0, 0}, new double[] {1, 0}), new long[] {4, 4}, 1000);
        assertEquals(1, kept.get(0).length);
        assertArrayEquals(new int[] {0}, kept.get(1));
    }

    @Test
    void neverExceedsTheBudgetOnRandomInstances() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 200; trial++) {
            List<double[]> a = new ArrayList<>();
            long[] costs = new long[1 + random.nextInt(6)];
            long minimum = 0;
            long all = 0;
            for (int w = 0; w < costs.length; w++) {
                double[] m = new double[1 + random.nextInt(8)];
                for (int i = 0; i < m.length; i++) {
                    m[i] = Math.max(0, random.nextDouble(-0.5, 2));
                }
                a.add(m);
                costs[w] = 1 + random.nextInt(20);
                minimum += costs[w];
                all += costs[w] * m.length;
            }
            long budget = minimum + random.nextLong(all);
            List<int[]> kept = GlobalPrune.keep(a, costs, budget);
            long used = 0;
            for (int w = 0; w < costs.length; w++) {
                assertTrue(kept.get(w).length >= 1);
                used += costs[w] * kept.get(w).length;
            }
            assertTrue(used <= budget, "used " + used + " of " + budget);
        }
    }

    @Test
    void fillSpendsTheBudgetLeftByDeadComponentsOnTheLeastNegativeScores() {
        // live: m0[0] (cost 10) and m1[0] (cost 30) -> 40 used of 75; dead by score: m1[1] -0.1 (30 -> 70),
        // m0[2] -0.2 (10 -> 80 > 75, skipped), m0[1] -0.5 (10 -> 80, skipped)
        List<double[]> scores = List.of(new double[] {1.0, -0.5, -0.2}, new double[] {0.8, -0.1, -3});
        List<double[]> a = List.of(new double[] {1.0, 0, 0}, new double[] {0.8, 0, 0});
        long[] costs = {10, 30};
        List<int[]> kept = GlobalPrune.keep(a, costs, 75);
        assertArrayEquals(new int[] {0}, kept.get(0));
        assertArrayEquals(new int[] {0}, kept.get(1));
        List<int[]> filled = GlobalPrune.fill(scores, kept, costs, 75);
        assertArrayEquals(new int[] {0}, filled.get(0));
        assertArrayEquals(new int[] {0, 1}, filled.get(1));
        // with 5 more numbers the -0.2 component fits too
        assertArrayEquals(new int[] {0, 2}, GlobalPrune.fill(scores, kept, costs, 80).get(0));
    }

    @Test
    void refusesABudgetBelowOneComponentPerMatrix() {
        assertThrows(IllegalArgumentException.class, () -> GlobalPrune.keep(List.of(new double[] {1}, new double[] {1}),
                new long[] {10, 10}, 15));
    }
}
