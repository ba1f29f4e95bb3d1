package io.svdwb.engine.compress.search;

import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Duo-SVD's module sensitivity, docs/METHODS.md §4.6 step 2: with every module at kept ratio rho0 as the base,
 * {@code Delta_j(p) = D_j(p) - D_base}, where D is the mean per-window KLsum against the uncompressed
 * teacher and D_j(p) sets only module j to p (1.0 = the dense original). Delta_j(rho0) is probed like
 * every other entry, as in the reference; it must come out exactly 0 (the probe's prefix cache is
 * exact), so a non-zero value flags a non-deterministic factory or backend.
 *
 * @param delta  Delta_j(p) with the parameters each candidate stores (m n for 1.0)
 * @param baseKl D_base
 * @param rho0   the base kept ratio, one of the table's columns
 */
public record DuoSvdSensitivity(SensitivityTable delta, double baseKl, double rho0) {

    /** {@code {0.1, ..., 0.9, 1.0} ∪ {rho0}}, ascending; rho0 replaces a grid value it coincides with. */
    public static double[] candidates(double rho0) {
        if (!(rho0 > 0 && rho0 < 1)) {
            throw new IllegalArgumentException("the base kept ratio rho0 = 1 - c must be in (0, 1), got " + rho0);
        }
        double[] grid = new double[11];
        int n = 0;
        for (int i = 1; i <= 10; i++) {
            double p = i / 10.0;
            if (Math.abs(p - rho0) > 1e-9) {
                grid[n++] = p;
            }
        }
        grid[n++] = rho0;
        double[] out = Arrays.copyOf(grid, n);
        Arrays.sort(out);
        return out;
    }

    /**
     * Builds the base (every module at rho0 via {@code factory}), installs it in the probe, and probes
     * every (module, p). The probe must measure KL.
     */
    public static DuoSvdSensitivity measure(CalibrationProbe probe, List<MatrixSpec> modules, double rho0,
                                            ReplacementFactory factory, ProgressListener progress) {
        if (!probe.measuresKl()) {
            throw new IllegalArgumentException("Duo-SVD sensitivity needs a probe built with Measures.NLL_AND_KL");
        }
        double[] ratios = candidates(rho0);
        Map<String, Linear> base = new LinkedHashMap<>();
        progress.begin("Duo-SVD base: " + modules.size() + " modules at kept ratio " + rho0, modules.size());
        for (MatrixSpec m : modules) {
            progress.throwIfCancelled();
            base.put(name(m), factory.replacement(m, rho0));
            progress.advanceTo(base.size());
        }
        progress.end();
        probe.setBase(base);
        double baseKl = probe.meanKlSum(Map.of());

        double[][] delta = new double[modules.size()][ratios.length];
        long[][] stored = new long[modules.size()][ratios.length];
        long total = (long) modules.size() * ratios.length;
        progress.begin("Duo-SVD sensitivity: " + modules.size() + " modules x " + ratios.length + " ratios", total);
        long done = 0;
        for (int j = 0; j < modules.size(); j++) {
            MatrixSpec m = modules.get(j);
            for (int i = 0; i < ratios.length; i++) {
                progress.throwIfCancelled();
                Linear candidate = ratios[i] == 1.0 ? CalibrationProbe.ORIGINAL
                        : ratios[i] == rho0 ? base.get(name(m)) : factory.replacement(m, ratios[i]);
                stored[j][i] = candidate == CalibrationProbe.ORIGINAL ? m.parameters() : candidate.storedWeightParameters();
                delta[j][i] = probe.meanKlSum(Map.of(name(m), candidate)) - baseKl;
                progress.advanceTo(++done);
            }
        }
        progress.end();
        return new DuoSvdSensitivity(new SensitivityTable(modules, ratios, delta, stored), baseKl, rho0);
    }

    private static String name(MatrixSpec m) {
        return m.kind().moduleName(m.layer());
    }
}
