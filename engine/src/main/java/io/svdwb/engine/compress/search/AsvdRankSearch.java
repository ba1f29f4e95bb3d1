package io.svdwb.engine.compress.search;

import io.svdwb.engine.model.MatrixSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ASVD's sensitivity-based rank search, steps 2-3 of docs/METHODS.md §4.3, on a table of calibration
 * perplexities ppl(j, p) (see {@link AsvdSensitivity} for filling it). All (j, p) entries are sorted by
 * perplexity, highest first; for a threshold t, each matrix takes the smallest p among the entries from t
 * on (dense if it has none there). The search takes the largest t whose parameter count fits the budget:
 * the most harmful candidates are left out, and no more than needed.
 *
 * <p>Counting [OURS]: the reference compares the parameter-weighted mean of the nominal p with the
 * target. By default ({@link Counting#STORED}) this search counts what the replacements really store,
 * {@code k (m + n)} (§2.2, §2.5), so the result is never over budget in the realised ratio;
 * {@link Counting#NOMINAL} reproduces the reference. Unlike the reference binary search, which stops at
 * the first threshold over the target, the result is at or below {@code target + tolerance}.
 */
public final class AsvdRankSearch {

    /** The reference's candidate kept ratios [CODE]. */
    public static final double[] DEFAULT_CANDIDATES = {0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
    /** For 60-80 % compression, unreachable with p >= 0.4 [OURS, as in older reference revisions]. */
    public static final double[] HIGH_RATIO_CANDIDATES = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
    /** §2.2: keep at most rho + 0.002 of the compressible parameters. */
    public static final double DEFAULT_TOLERANCE = 0.002;

    /** What a candidate costs in the budget check. */
    public enum Counting {
        /** Parameters the replacement really stores, {@code k (m + n)} (default). */
        STORED,
        /** {@code p m n}, as the ASVD reference code counts. */
        NOMINAL
    }

    /**
     * @param matrices       the table's matrices, in its order
     * @param keptRatios     chosen p per matrix; 1.0 = keep dense
     * @param keptParameters parameters really stored (from the table's costs, dense m n where 1.0)
     * @param threshold      t: entries before it in the sorted list were left out
     * @param entries        length of the sorted list
     */
    public record Result(List<MatrixSpec> matrices, double[] keptRatios, long keptParameters, long originalParameters,
                         int threshold, int entries) {

        public Result {
            matrices = List.copyOf(matrices);
            keptRatios = keptRatios.clone();
        }

        @Override
        public double[] keptRatios() {
            return keptRatios.clone();
        }

        /** Realised kept fraction {@code P_kept / P_orig}; c_eff = 1 - this. */
        public double keptFraction() {
            return (double) keptParameters / originalParameters;
        }

        /** Kept ratio by module name ({@code ProjectionKind.moduleName(layer)}), 1.0 = dense. */
        public Map<String, Double> byModule() {
            return KeptRatios.byModule(matrices, keptRatios);
        }
    }

    private record Entry(int matrix, int ratio, double ppl) { }

    private AsvdRankSearch() {
    }

    /**
     * @param ppl                 calibration perplexity per (matrix, p); p must be below 1
     * @param targetKeptFraction  rho = 1 - c, in (0, 1]
     * @param tolerance           allowed excess of the kept fraction (§2.2: 0.002)
     * @throws IllegalArgumentException if even every matrix at its smallest candidate exceeds the budget
     */
    public static Result allocate(SensitivityTable ppl, double targetKeptFraction, double tolerance, Counting counting) {
        if (!(targetKeptFraction > 0 && targetKeptFraction <= 1) || !(tolerance >= 0)) {
            throw new IllegalArgumentException("target kept fraction must be in (0, 1] and tolerance >= 0, got "
                    + targetKeptFraction + " and " + tolerance);
        }
        double[] ratios = ppl.keptRatios();
        int nm = ppl.matrices().size();
        long[][] cost = costs(ppl, counting);
        long original = ppl.originalParameters();
        double budget = (targetKeptFraction + tolerance) * original;

        List<Entry> sorted = new ArrayList<>();
        for (int j = 0; j < nm; j++) {
            for (int i = 0; i < ratios.length; i++) {
                sorted.add(new Entry(j, i, ppl.value(j, i)));
            }
        }
        // Highest perplexity first; NaN (a diverged probe) counts as the most harmful. Stable, so ties keep model order.
        sorted.sort(Comparator.comparingDouble(Entry::ppl).reversed());

        // Walk t from the end (everything dense) towards 0; the count only falls as entries join the suffix.
        int[] choice = new int[nm];
        Arrays.fill(choice, -1);
        long counted = original;
        int t = sorted.size();
        while (counted > budget && t > 0) {
            Entry e = sorted.get(--t);
            if (choice[e.matrix()] < 0 || e.ratio() < choice[e.matrix()]) {
                long before = choice[e.matrix()] < 0 ? ppl.matrices().get(e.matrix()).parameters() : cost[e.matrix()][choice[e.matrix()]];
                counted += cost[e.matrix()][e.ratio()] - before;
                choice[e.matrix()] = e.ratio();
            }
        }
        if (counted > budget) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "a kept fraction of %.4f is out of reach: with every matrix at the smallest candidate %.2f the "
                            + "search keeps %.4f; add smaller candidates (e.g. 0.1..0.9 for 60-80 %% compression)",
                    targetKeptFraction, ratios[0], counted / (double) original));
        }
        double[] kept = new double[nm];
        long stored = 0;
        for (int j = 0; j < nm; j++) {
            kept[j] = choice[j] < 0 ? 1.0 : ratios[choice[j]];
            stored += choice[j] < 0 ? ppl.matrices().get(j).parameters() : ppl.stored(j, choice[j]);
        }
        return new Result(ppl.matrices(), kept, stored, original, t, sorted.size());
    }

    /** Per-candidate cost under {@code counting}; checks the monotonicity the threshold walk relies on. */
    private static long[][] costs(SensitivityTable table, Counting counting) {
        double[] ratios = table.keptRatios();
        if (ratios[ratios.length - 1] >= 1.0) {
            throw new IllegalArgumentException("ASVD candidates must be below 1 (dense is 'no candidate left')");
        }
        long[][] cost = new long[table.matrices().size()][ratios.length];
        for (int j = 0; j < cost.length; j++) {
            MatrixSpec m = table.matrices().get(j);
            for (int i = 0; i < ratios.length; i++) {
                cost[j][i] = counting == Counting.STORED ? table.stored(j, i) : Math.round(ratios[i] * m.parameters());
                if (i > 0 && cost[j][i] < cost[j][i - 1] || cost[j][i] > m.parameters()) {
                    throw new IllegalArgumentException(m.label() + ": candidate costs must grow with p and stay below the "
                            + "dense " + m.parameters() + ", got " + Arrays.toString(cost[j]));
                }
            }
        }
        return cost;
    }
}
