package io.svdwb.engine.soco;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SoCo's hard pruning (docs/METHODS.md §4.8 step 5): all components of all matrices, ordered by their multiplier
 * {@code a_i = max(theta_i, 0)} descending, are kept while the stored numbers {@code Σ (m + n)} fit the global
 * budget; a component that no longer fits is skipped and smaller ones may still fill the rest. Components with
 * {@code a_i = 0} are never kept beyond one per matrix: every matrix keeps its best component first [OURS], so
 * every compressed module still has rank-1 factors to store and export.
 */
public final class GlobalPrune {

    private GlobalPrune() {
    }

    /**
     * @param multipliers per matrix, {@code a_i} of its components
     * @param costs       per matrix, {@code m + n}
     * @param budget      the most numbers all kept components may store together
     * @return per matrix, the kept component indices in ascending order
     */
    public static List<int[]> keep(List<double[]> multipliers, long[] costs, long budget) {
        if (multipliers.size() != costs.length) {
            throw new IllegalArgumentException(multipliers.size() + " matrices but " + costs.length + " costs");
        }
        List<boolean[]> kept = new ArrayList<>();
        long used = 0;
        List<long[]> candidates = new ArrayList<>();
        for (int w = 0; w < multipliers.size(); w++) {
            double[] a = multipliers.get(w);
            if (a.length == 0) {
                throw new IllegalArgumentException("matrix " + w + " has no components");
            }
            boolean[] mask = new boolean[a.length];
            int best = 0;
            for (int i = 1; i < a.length; i++) {
                if (a[i] > a[best]) {
                    best = i;
                }
            }
            mask[best] = true;
            used += costs[w];
            kept.add(mask);
            for (int i = 0; i < a.length; i++) {
                if (i != best && a[i] > 0) {
                    candidates.add(new long[] {w, i});
                }
            }
        }
        if (used > budget) {
            throw new IllegalArgumentException("the budget of " + budget + " numbers cannot hold one component per matrix ("
                    + used + ")");
        }
        // ties (equal multipliers) go to the earlier matrix and component, so the result does not depend on sort stability
        candidates.sort((x, y) -> {
            int byScore = Double.compare(multipliers.get((int) y[0])[(int) y[1]], multipliers.get((int) x[0])[(int) x[1]]);
            return byScore != 0 ? byScore : x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]);
        });
        for (long[] c : candidates) {
            long cost = costs[(int) c[0]];
            if (used + cost <= budget) {
                kept.get((int) c[0])[(int) c[1]] = true;
                used += cost;
            }
        }
        List<int[]> out = new ArrayList<>();
        for (boolean[] mask : kept) {
            int[] indices = new int[mask.length];
            int n = 0;
            for (int i = 0; i < mask.length; i++) {
                if (mask[i]) {
                    indices[n++] = i;
                }
            }
            out.add(Arrays.copyOf(indices, n));
        }
        return out;
    }

    /**
     * When training left fewer live components than the budget holds, fills the rest [OURS]: the dead components
     * ({@code theta <= 0}) not yet kept, by theta descending (the least pruned first), while they fit. Without this a
     * collapse in training (every score pushed below 0 together) would give a far smaller model than asked for.
     *
     * @param scores per matrix, theta of its components
     * @param kept   per matrix, the indices {@link #keep} chose
     * @return per matrix, the kept indices with the revived ones added, ascending
     */
    public static List<int[]> fill(List<double[]> scores, List<int[]> kept, long[] costs, long budget) {
        long used = 0;
        List<boolean[]> masks = new ArrayList<>();
        for (int w = 0; w < scores.size(); w++) {
            boolean[] mask = new boolean[scores.get(w).length];
            for (int i : kept.get(w)) {
                mask[i] = true;
            }
            masks.add(mask);
            used += costs[w] * kept.get(w).length;
        }
        List<long[]> dead = new ArrayList<>();
        for (int w = 0; w < scores.size(); w++) {
            for (int i = 0; i < scores.get(w).length; i++) {
                if (!masks.get(w)[i] && scores.get(w)[i] <= 0) {
                    dead.add(new long[] {w, i});
                }
            }
        }
        dead.sort((x, y) -> {
            int byScore = Double.compare(scores.get((int) y[0])[(int) y[1]], scores.get((int) x[0])[(int) x[1]]);
            return byScore != 0 ? byScore : x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]);
        });
        for (long[] c : dead) {
            long cost = costs[(int) c[0]];
            if (used + cost <= budget) {
                masks.get((int) c[0])[(int) c[1]] = true;
                used += cost;
            }
        }
        List<int[]> out = new ArrayList<>();
        for (boolean[] mask : masks) {
            out.add(java.util.stream.IntStream.range(0, mask.length).filter(i -> mask[i]).toArray());
        }
        return out;
    }
}
