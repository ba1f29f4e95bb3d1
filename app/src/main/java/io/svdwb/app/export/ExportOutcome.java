package io.svdwb.app.export;

import java.nio.file.Path;

/**
 * A finished export and its check.
 *
 * @param parameters          parameters of the written checkpoint (0 for the rank map alone)
 * @param weightBytes         size of the written model.safetensors (0 for the rank map alone)
 * @param inMemoryPerplexity  the compressed model's perplexity before writing (NaN for the rank map alone)
 * @param reloadedPerplexity  the perplexity of the export read back from disk (NaN for the rank map alone)
 * @param protocol            how both perplexities were measured
 */
public record ExportOutcome(Path folder, ExportKind kind, long parameters, long weightBytes, double inMemoryPerplexity,
                            double reloadedPerplexity, String protocol) {

    /** |reloaded - in memory| / in memory. */
    public double relativeDifference() {
        return Math.abs(reloadedPerplexity - inMemoryPerplexity) / inMemoryPerplexity;
    }
}
