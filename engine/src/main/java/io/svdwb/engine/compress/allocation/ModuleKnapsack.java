package io.svdwb.engine.compress.allocation;

import java.util.List;

/**
 * Module-level allocation by dynamic programming (docs/METHODS.md §2.5, §4.6 step 3): one option per
 * module, costs discretised in units of {@code floor(sum of max costs / maxStates) + 1} (spec:
 * maxStates = 10000). Costs are rounded UP to units and the budget DOWN [OURS], so the chosen
 * total never exceeds the budget. Among reachable states at or below the budget the spec picks the
 * one closest to the budget, ties to smaller loss ({@link Objective#CLOSEST_TO_BUDGET}, the default
 * [CODE + OURS]); {@link Objective#MIN_LOSS} picks the minimum total loss. Stateless.
 */
public final class ModuleKnapsack {

    public enum Objective { CLOSEST_TO_BUDGET, MIN_LOSS }

    /** One candidate of a module: cost in stored parameters, loss (e.g. KL increase). */
    public record Option(long cost, double loss) { }

    /** The choice: option index per module, total cost and loss; null-free. */
    public record Allocation(int[] choice, long cost, double loss) { }

    private ModuleKnapsack() {
    }

    /** @return the allocation, or null when no combination fits the budget */
    public static Allocation solve(List<List<Option>> modules, long budget, int maxStates, Objective objective) {
        long total = 0;
        for (List<Option> opts : modules) {
            if (opts.isEmpty()) {
                throw new IllegalArgumentException("a module has no options");
            }
            total += opts.stream().mapToLong(Option::cost).max().orElseThrow();
        }
        long unit = total / maxStates + 1;
        int cap = (int) Math.min(budget / unit, Integer.MAX_VALUE - 1);
        int nm = modules.size();
        double[][] dp = new double[nm + 1][cap + 1];
        for (double[] row : dp) {
            java.util.Arrays.fill(row, Double.POSITIVE_INFINITY);
        }
        dp[0][0] = 0;
        int[][] pick = new int[nm][cap + 1];
        for (int j = 0; j < nm; j++) {
            List<Option> opts = modules.get(j);
            for (int u = 0; u <= cap; u++) {
                if (dp[j][u] == Double.POSITIVE_INFINITY) {
                    continue;
                }
                for (int o = 0; o < opts.size(); o++) {
                    long c = units(opts.get(o).cost(), unit);
                    if (u + c > cap) {
                        continue;
                    }
                    int v = (int) (u + c);
                    double l = dp[j][u] + opts.get(o).loss();
                    if (l < dp[j + 1][v]) {
                        dp[j + 1][v] = l;
                        pick[j][v] = o;
                    }
                }
            }
        }
        int best = -1;
        for (int u = 0; u <= cap; u++) {
            double l = dp[nm][u];
            if (l == Double.POSITIVE_INFINITY) {
                continue;
            }
            if (best < 0) {
                best = u;
            } else if (objective == Objective.MIN_LOSS ? l < dp[nm][best] : u > best || l < dp[nm][best] && u == best) {
                best = u;
            }
        }
        if (best < 0) {
            return null;
        }
        int[] choice = new int[nm];
        long cost = 0;
        int v = best;
        for (int j = nm - 1; j >= 0; j--) {
            int o = pick[j][v];
            choice[j] = o;
            cost += modules.get(j).get(o).cost();
            v -= (int) units(modules.get(j).get(o).cost(), unit);
        }
        return new Allocation(choice, cost, dp[nm][best]);
    }

    private static long units(long cost, long unit) {
        return (cost + unit - 1) / unit;
    }
}
