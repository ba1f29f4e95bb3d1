package io.svdwb.engine.compress.search;

import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.progress.ProgressListener;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * ResSVD's partial-layer compression (PLC), docs/METHODS.md §4.7 component 2: only the last k of the N selected
 * decoder layers are compressed, each at {@code R_l = N R_o / k}, which removes {@code R_o} of the selected
 * parameters (up to rank flooring) because the selected layers have identical shapes. Feasible when
 * {@code R_l <= R_max}. [OURS] rule for k: try {@code k_min = ceil(N R_o / R_max)}, k_min + 2, ..., and N
 * itself, and keep the lowest calibration perplexity, ties to the larger k (less aggressive per layer).
 * Ratios here are compression ratios (fraction removed); the factory gets the kept ratio 1 - R_l.
 */
public final class ResSvdLayerSearch {

    /** Default cap on a compressed layer's ratio [OURS]. */
    public static final double DEFAULT_MAX_LAYER_RATIO = 0.9;
    /** Guards ceil() against rounding such as 30 x 0.27 / 0.9 = 9.000000000000002 in double. */
    private static final double ROUNDING_SLACK = 1e-9;

    /** Which layers are compressed and at what ratio. */
    public record Plan(int k, double layerRatio, List<Integer> compressedLayers) {
        public Plan {
            compressedLayers = List.copyOf(compressedLayers);
        }
    }

    /** One candidate k and its calibration perplexity. */
    public record Trial(int k, double layerRatio, double perplexity, long keptParameters) { }

    /**
     * @param chosen             the plan with the lowest calibration perplexity
     * @param trials             every candidate tried, ascending k
     * @param keptParameters     stored parameters of the selected matrices under the chosen plan (built replacements)
     * @param originalParameters sum of m n over the selected matrices
     */
    public record Result(Plan chosen, List<Trial> trials, long keptParameters, long originalParameters) {
        public Result {
            trials = List.copyOf(trials);
        }
    }

    private ResSvdLayerSearch() {
    }

    /** {@code ceil(N R_o / R_max)}. */
    public static int minimumLayers(int n, double overallRatio, double maxLayerRatio) {
        requireRatios(overallRatio, maxLayerRatio);
        int k = (int) Math.ceil(n * overallRatio / maxLayerRatio - ROUNDING_SLACK);
        if (k > n) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "compressing %.1f %% overall needs more than all %d selected layers at the cap of %.1f %% per layer; "
                            + "lower the target or raise the per-layer cap", 100 * overallRatio, n, 100 * maxLayerRatio));
        }
        return Math.max(1, k);
    }

    /** k_min, k_min + 2, ... below N, then N. */
    public static int[] candidateLayerCounts(int n, double overallRatio, double maxLayerRatio) {
        List<Integer> ks = new ArrayList<>();
        for (int k = minimumLayers(n, overallRatio, maxLayerRatio); k < n; k += 2) {
            ks.add(k);
        }
        ks.add(n);
        return ks.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The plan for a given k over the selected matrices (a fixed user k, or one search candidate).
     *
     * @throws IllegalArgumentException if k is outside 1..N or makes {@code R_l > R_max}
     */
    public static Plan plan(List<MatrixSpec> selected, double overallRatio, int k, double maxLayerRatio) {
        requireRatios(overallRatio, maxLayerRatio);
        List<Integer> layers = selectedLayers(selected);
        int n = layers.size();
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be between 1 and the " + n + " selected layers, got " + k);
        }
        double layerRatio = n * overallRatio / k;
        if (layerRatio > maxLayerRatio + ROUNDING_SLACK) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "compressing only the last %d of %d layers needs %.1f %% per layer, above the cap of %.1f %%; "
                            + "use k >= %d", k, n, 100 * layerRatio, 100 * maxLayerRatio,
                    minimumLayers(n, overallRatio, maxLayerRatio)));
        }
        return new Plan(k, layerRatio, layers.subList(n - k, n));
    }

    /** Tries every candidate k on the probe (base: dense) and keeps the best; see the class comment. */
    public static Result search(CalibrationProbe probe, List<MatrixSpec> selected, double overallRatio, double maxLayerRatio,
                                ReplacementFactory factory, ProgressListener progress) {
        int[] ks = candidateLayerCounts(selectedLayers(selected).size(), overallRatio, maxLayerRatio);
        probe.setBase(Map.of());
        long original = selected.stream().mapToLong(MatrixSpec::parameters).sum();
        List<Trial> trials = new ArrayList<>();
        Trial best = null;
        progress.begin("ResSVD layer search: " + ks.length + " candidate layer counts", ks.length);
        for (int c = 0; c < ks.length; c++) {
            progress.throwIfCancelled();
            Plan plan = plan(selected, overallRatio, ks[c], maxLayerRatio);
            Map<String, Linear> replacements = new LinkedHashMap<>();
            long kept = 0;
            for (MatrixSpec m : selected) {
                if (plan.compressedLayers().contains(m.layer())) {
                    Linear r = factory.replacement(m, 1 - plan.layerRatio());
                    replacements.put(m.kind().moduleName(m.layer()), r);
                    kept += r.storedWeightParameters();
                } else {
                    kept += m.parameters();
                }
            }
            Trial trial = new Trial(plan.k(), plan.layerRatio(), Math.exp(probe.meanNll(replacements)), kept);
            trials.add(trial);
            if (!Double.isNaN(trial.perplexity()) && (best == null || trial.perplexity() <= best.perplexity())) {
                best = trial;
            }
            progress.advanceTo(c + 1);
        }
        progress.end();
        if (best == null) {
            throw new IllegalStateException("every candidate layer count gave a non-finite calibration perplexity");
        }
        return new Result(plan(selected, overallRatio, best.k(), maxLayerRatio), trials, best.keptParameters(), original);
    }

    /** The distinct layers of the selection, ascending; all must hold the same projection kinds. */
    static List<Integer> selectedLayers(List<MatrixSpec> selected) {
        Map<Integer, Set<ProjectionKind>> kinds = new TreeMap<>();
        for (MatrixSpec m : selected) {
            kinds.computeIfAbsent(m.layer(), l -> EnumSet.noneOf(ProjectionKind.class)).add(m.kind());
        }
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("no matrices selected");
        }
        // A selection with single matrices excluded (--exclude) is the usual way to get here.
        Map.Entry<Integer, Set<ProjectionKind>> first = kinds.entrySet().iterator().next();
        for (Map.Entry<Integer, Set<ProjectionKind>> e : kinds.entrySet()) {
            if (!e.getValue().equals(first.getValue())) {
                throw new IllegalArgumentException("ResSVD's partial-layer compression needs the same projections in every selected "
                        + "layer (R_l = N R_o / k keeps the total only for identical layers), but layer " + first.getKey() + " has "
                        + names(first.getValue()) + " and layer " + e.getKey() + " has " + names(e.getValue())
                        + "; select whole layers (no excluded matrix) for ressvd");
            }
        }
        return new ArrayList<>(kinds.keySet());
    }

    private static String names(Set<ProjectionKind> kinds) {
        return String.join(",", kinds.stream().map(ProjectionKind::shortName).toList());
    }

    private static void requireRatios(double overallRatio, double maxLayerRatio) {
        if (!(overallRatio > 0 && overallRatio < 1)) {
            throw new IllegalArgumentException("the overall compression ratio must be in (0, 1), got " + overallRatio);
        }
        if (!(maxLayerRatio > 0 && maxLayerRatio < 1)) {
            throw new IllegalArgumentException("the per-layer cap must be in (0, 1), got " + maxLayerRatio);
        }
    }
}
