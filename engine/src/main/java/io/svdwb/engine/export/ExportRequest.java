package io.svdwb.engine.export;

import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.ColumnPreservingLinear;
import io.svdwb.engine.model.DenseLinear;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LowRankLinear;
import io.svdwb.engine.model.SpilledLowRankLinear;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One export: the source checkpoint, the projections that replace its own (module name to
 * {@link LowRankLinear} or {@link ColumnPreservingLinear} for compressed modules, or {@link DenseLinear} for a
 * matrix changed but kept dense;
 * everything else is copied from the source bit for bit), the manifest describing the run, and the format.
 * Checked when built, so a wrong module name or shape fails before any byte is written.
 *
 * @param overwrite whether an existing target folder may be replaced (only once the new one is complete)
 */
public record ExportRequest(Checkpoint source, Map<String, Linear> replacements, Manifest manifest,
                            ExportFormat format, boolean overwrite, Map<String, ExportSidecar> sidecars) {

    /** An export without extra files. */
    public ExportRequest(Checkpoint source, Map<String, Linear> replacements, Manifest manifest, ExportFormat format,
                         boolean overwrite) {
        this(source, replacements, manifest, format, overwrite, Map.of());
    }

    public ExportRequest {
        sidecars = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sidecars));
        for (String name : sidecars.keySet()) {
            if (name.isEmpty() || name.startsWith(".") || name.contains("/") || name.contains("\\")
                    || name.equals("config.json") || name.equals("rank_map.json") || name.equals("manifest.json")
                    || name.equals(io.svdwb.engine.safetensors.CheckpointFiles.SINGLE_FILE)) {
                throw new IllegalArgumentException("'" + name + "' cannot be an extra export file (a plain file name other than "
                        + "the export's own files is needed)");
            }
        }
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(format, "format");
        replacements = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(replacements));
        for (Map.Entry<String, Linear> e : replacements.entrySet()) {
            ProjectionModule module = ProjectionModule.parse(e.getKey(), source.config());
            Linear linear = e.getValue();
            if (!(linear instanceof LowRankLinear) && !(linear instanceof SpilledLowRankLinear)
                    && !(linear instanceof ColumnPreservingLinear) && !(linear instanceof DenseLinear)) {
                throw new IllegalArgumentException(e.getKey() + ": cannot export a " + linear.getClass().getSimpleName()
                        + " (only low-rank, column-preserving and dense projections have a stored form)");
            }
            int out = module.kind().outFeatures(source.config());
            int in = module.kind().inFeatures(source.config());
            if (linear.outFeatures() != out || linear.inFeatures() != in) {
                throw new IllegalArgumentException(e.getKey() + " needs " + in + " -> " + out + " features, the replacement maps "
                        + linear.inFeatures() + " -> " + linear.outFeatures());
            }
            boolean sourceHasBias = module.kind().hasBias(source.config());
            boolean replacementHasBias = biasOf(linear) != null;
            if (sourceHasBias != replacementHasBias) {
                throw new IllegalArgumentException(e.getKey() + ": the config " + (sourceHasBias ? "requires" : "has no")
                        + " bias, the replacement " + (replacementHasBias ? "has one" : "has none"));
            }
        }
        CompressionAccounting accounting = CompressionAccounting.of(source, replacements);
        if (!accounting.ranks().equals(manifest.ranks())) {
            throw new IllegalArgumentException("the manifest's ranks " + manifest.ranks() + " do not match the replacements' ranks "
                    + accounting.ranks() + " (build it with Manifest.describe)");
        }
        if (!accounting.keptColumnCounts().equals(manifest.keptColumnCounts())) {
            throw new IllegalArgumentException("the manifest's kept column counts " + manifest.keptColumnCounts()
                    + " do not match the replacements' " + accounting.keptColumnCounts() + " (build it with Manifest.describe)");
        }
    }

    /** The bias a replacement carries (null if none), whatever its stored form. */
    static org.nd4j.linalg.api.ndarray.INDArray biasOf(Linear linear) {
        return switch (linear) {
            case LowRankLinear l -> l.bias();
            case SpilledLowRankLinear s -> s.bias();
            case ColumnPreservingLinear c -> c.bias();
            case DenseLinear d -> d.bias();
            default -> throw new IllegalArgumentException("no stored form for a " + linear.getClass().getSimpleName());
        };
    }

    /** Module name to rank of the low-rank and column-preserving replacements, in layer and projection order. */
    public Map<String, Integer> ranks() {
        return manifest.ranks();
    }

    /** Module name to the kept input columns (ascending) of the column-preserving replacements, in layer order. */
    public Map<String, List<Integer>> keptColumns() {
        return CompressionAccounting.of(source, replacements).keptColumns();
    }

    /** Modules whose replacement holds int8 factors (docs/METHODS.md §2.6), stored as codes and scales by a factored export. */
    public List<String> int8Modules() {
        return CompressionAccounting.int8Modules(source, replacements);
    }

    /** The row scales a factored export stores beside the int8 codes: one per row of A and of B. */
    long int8ScaleCount() {
        long count = 0;
        for (String module : int8Modules()) {
            count += ((LowRankLinear) replacements.get(module)).quantized().scaleCount();
        }
        return count;
    }
}
