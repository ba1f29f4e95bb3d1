package io.svdwb.app.compare;

import io.svdwb.engine.pipeline.SweepRow;
import java.util.List;

/**
 * One row of a sweep as the compare view shows it and a session stores it: the engine's {@link SweepRow}
 * without the weights.
 *
 * @param method         the method's command-line name; null for the uncompressed baseline
 * @param keptParameters parameters kept in the compressible matrices of the whole model; -1 for the baseline
 * @param evalSeconds    wall-clock time of the perplexity evaluation
 * @param tokensPredicted positions the perplexity averages over
 */
public record ComparisonRow(String method, double targetRatio, double achievedRatio, long keptParameters, double perplexity,
                            long tokensPredicted, double compressSeconds, double evalSeconds, List<ModuleLoss> modules) {

    public ComparisonRow {
        modules = modules == null ? List.of() : List.copyOf(modules);
    }

    public static ComparisonRow of(SweepRow row) {
        List<ModuleLoss> modules = row.baseline() ? List.of()
                : row.compression().modules().stream().map(ModuleLoss::of).toList();
        return new ComparisonRow(row.baseline() ? null : row.method().cliName(), row.ratio(), row.achievedRatio(), row.keptParameters(),
                row.perplexity().perplexity(), row.perplexity().tokensPredicted(), row.compressSeconds(), row.perplexity().seconds(),
                modules);
    }

    public boolean baseline() {
        return method == null;
    }

    /** "dense" for the baseline, else the method. */
    public String methodLabel() {
        return baseline() ? "dense" : method;
    }
}
