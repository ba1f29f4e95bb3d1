package io.svdwb.engine.export;

import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.DenseLinear;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LowRankLinear;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One export: the source checkpoint, the projections that replace its own (module name to
 * {@link LowRankLinear} for compressed modules, or {@link DenseLinear} for a matrix changed but kept dense;
 * everything else is copied from the source bit for bit), the manifest describing the run, and the format.
 * Checked when built, so a wrong module name or shape fails before any byte is written.
 *
 * @param overwrite whether an existing target folder may be replaced (only once the new one is complete)
 */
public record ExportRequest(Checkpoint source, Map<String, Linear> replacements, Manifest manifest,
                            ExportFormat format, boolean overwrite) {

    public ExportRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(format, "format");
        replacements = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(replacements));
        for (Map.Entry<String, Linear> e : replacements.entrySet()) {
            ProjectionModule module = ProjectionModule.parse(e.getKey(), source.config());
            Linear linear = e.getValue();
            if (!(linear instanceof LowRankLinear) && !(linear instanceof DenseLinear)) {
                throw new IllegalArgumentException(e.getKey() + ": cannot export a " + linear.getClass().getSimpleName()
                        + " (only LowRankLinear and DenseLinear have a stored form)");
            }
            int out = module.kind().outFeatures(source.config());
            int in = module.kind().inFeatures(source.config());
            if (linear.outFeatures() != out || linear.inFeatures() != in) {
                throw new IllegalArgumentException(e.getKey() + " needs " + in + " -> " + out + " features, the replacement maps "
                        + linear.inFeatures() + " -> " + linear.outFeatures());
            }
            boolean sourceHasBias = module.kind().hasBias(source.config());
            boolean replacementHasBias = (linear instanceof LowRankLinear l ? l.bias() : ((DenseLinear) linear).bias()) != null;
            if (sourceHasBias != replacementHasBias) {
                throw new IllegalArgumentException(e.getKey() + ": the config " + (sourceHasBias ? "requires" : "has no")
                        + " bias, the replacement " + (replacementHasBias ? "has one" : "has none"));
            }
        }
        Map<String, Integer> ranks = CompressionAccounting.of(source, replacements).ranks();
        if (!ranks.equals(manifest.ranks())) {
            throw new IllegalArgumentException("the manifest's ranks " + manifest.ranks() + " do not match the replacements' ranks "
                    + ranks + " (build it with Manifest.describe)");
        }
    }

    /** Module name to rank of the low-rank replacements, in layer and projection order. */
    public Map<String, Integer> ranks() {
        return manifest.ranks();
    }
}
