package io.svdwb.engine.pipeline;

import io.svdwb.engine.compress.method.CompressionResult;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.eval.PerplexityResult;

/**
 * One cell of a sweep. The baseline (uncompressed) row has a null method, ratio 0 and a null result.
 *
 * @param compression null for the baseline
 */
public record SweepRow(MethodId method, double ratio, PerplexityResult perplexity, CompressionResult compression) {

    public boolean baseline() {
        return method == null;
    }

    /**
     * The method as a sweep table names it: its command-line name, with {@code +variant} for each of the method's sweep
     * variants its settings include ({@code svd-llm+update}); "dense" for the baseline.
     */
    public String name() {
        if (method == null) {
            return "dense";
        }
        var settings = compression.request().settings().asText();
        StringBuilder name = new StringBuilder(method.cliName());
        new java.util.TreeMap<>(method.method().sweepVariants()).forEach((variant, values) -> {
            if (values.entrySet().stream().allMatch(e -> e.getValue().equals(settings.get(e.getKey())))) {
                name.append('+').append(variant);
            }
        });
        return name.toString();
    }

    /** c_eff over the selected matrices (0 for the baseline). */
    public double achievedRatio() {
        return compression == null ? 0 : compression.selected().effectiveRatio();
    }

    /** Parameters kept in the compressible matrices of the whole model. */
    public long keptParameters() {
        return compression == null ? -1 : compression.allMatrices().keptParameters();
    }

    public double compressSeconds() {
        return compression == null ? 0 : compression.seconds();
    }
}
