package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.LowRankFactors;
import io.svdwb.engine.compress.search.CalibrationProbe;
import io.svdwb.engine.compress.search.ReplacementFactory;
import io.svdwb.engine.compress.search.StoredParameters;
import io.svdwb.engine.model.LowRankLinear;
import io.svdwb.engine.progress.ProgressListener;

/** The searches' shared pieces: one probe per window setting and context, and factories over cached decompositions. */
public final class Probes {

    private Probes() {
    }

    /** The probe on the context's uncompressed model, built once per (windows, measures) and kept in the context. */
    public static CalibrationProbe probe(CompressionContext context, SharedOptions.ProbeWindows windows, CalibrationProbe.Measures measures,
            ProgressListener progress) {
        int length = windows.length() > 0 ? windows.length() : context.calibrationLength();
        String key = "probe " + windows.samples() + "x" + length + " seed " + windows.seed() + " " + measures;
        return context.memo(key, () -> {
            int[][] probeWindows = context.probeWindows(windows.samples(), length, windows.seed()).windows();
            int batch = Math.max(1, 1024 / length);
            context.note(String.format(java.util.Locale.ROOT, "search probe: %d windows x %d tokens from %s (seed %d)",
                    probeWindows.length, length, context.calibrationText().getFileName(), windows.seed()));
            return new CalibrationProbe(context.model(), probeWindows, batch, measures, CalibrationProbe.DEFAULT_MEMORY_LIMIT_BYTES, progress);
        });
    }

    /**
     * Runs {@code work} (a search's measurements) as the only user of {@code probe}: a probe is not thread-safe (its base
     * and cached layer inputs change), and one context, with its memoised probes, may serve jobs on several threads
     * (the workbench's main view and its compare and export tools share one). The probe reports to {@code progress}
     * while the work runs.
     */
    public static <T> T exclusively(CalibrationProbe probe, ProgressListener progress, java.util.function.Supplier<T> work) {
        synchronized (probe) {
            probe.reportTo(progress);
            return work.get();
        }
    }

    /** Rank k(p) cut from the recipe's cached decomposition, as a float32 low-rank module. */
    public static ReplacementFactory truncations(CompressionContext context, DecompositionRecipe recipe) {
        return (matrix, keptRatio) -> {
            LowRankDecomposition d = context.decomposition(recipe, matrix, ProgressListener.NONE);
            LowRankFactors f = d.truncate(StoredParameters.rank(matrix, keptRatio)).asFloat();
            return new LowRankLinear(f.a(), f.b(), context.bias(matrix), context.linearAlgebra());
        };
    }
}
