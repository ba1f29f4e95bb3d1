package io.svdwb.engine.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.ModelConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Opens a {@link ExportFormat#FACTORED factored} export: the ranks come from {@code truncation_ranks} in
 * config.json (ASVD's convention), the kept input columns of column-preserving (Duo-SVD) modules from
 * {@code column_preserving_kept_columns}; the weights are checked by {@link Checkpoint#openFactored} (A [out, r],
 * B [r, in] or [r, in - q], C [out, q], exactly as the config, rank and column list imply, nothing missing or
 * unexpected), and the model built from it runs the compressed projections as {@code LowRankLinear} or
 * {@code ColumnPreservingLinear}. Modules listed in {@code int8_factors} store their factors as I8 codes with F32
 * row scales (docs/METHODS.md §2.6) and run with the dequantised values.
 */
public final class FactoredCheckpoint {

    public static final String RANKS_KEY = "truncation_ranks";
    /** config.json key: {module: [kept input column indices, strictly ascending]} for column-preserving modules. */
    public static final String KEPT_COLUMNS_KEY = "column_preserving_kept_columns";
    /** config.json key: [module names] whose factors are int8 codes with per-row scales (docs/EXPORT.md). */
    public static final String INT8_KEY = "int8_factors";

    private static final ObjectMapper JSON = new ObjectMapper();

    private FactoredCheckpoint() {
    }

    /** The checkpoint in {@code dir}; a folder without {@code truncation_ranks} opens as a plain dense checkpoint. */
    public static Checkpoint open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            // the same message as Checkpoint.open, before config.json is looked for
            return Checkpoint.open(dir);
        }
        return Checkpoint.openFactored(dir, truncationRanks(dir), keptColumns(dir), int8Modules(dir));
    }

    /** A model over {@code checkpoint} (its factored modules become low-rank projections when layers load). */
    public static LlamaModel model(Checkpoint checkpoint, LinearAlgebra linalg, LlamaModel.Residency residency) {
        return new LlamaModel(checkpoint, linalg, residency);
    }

    /** {@code truncation_ranks} of {@code dir/config.json}: module name to rank, empty when absent. */
    public static Map<String, Integer> truncationRanks(Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = entries(file, RANKS_KEY, "{module: rank}"); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isIntegralNumber() || !e.getValue().canConvertToInt() || e.getValue().asInt() < 1) {
                throw new ModelConfigException(file + ": " + RANKS_KEY + "." + e.getKey() + " must be a positive integer, got " + e.getValue());
            }
            ranks.put(e.getKey(), e.getValue().asInt());
        }
        return ranks;
    }

    /**
     * {@code column_preserving_kept_columns} of {@code dir/config.json}: module name to its kept input columns,
     * empty when absent. Only the JSON types are checked here; order and range are checked against the model
     * by {@link Checkpoint#openFactored(Path, Map, Map)}.
     */
    public static Map<String, List<Integer>> keptColumns(Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        Map<String, List<Integer>> kept = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = entries(file, KEPT_COLUMNS_KEY, "{module: [column indices]}"); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray()) {
                throw new ModelConfigException(file + ": " + KEPT_COLUMNS_KEY + "." + e.getKey() + " must be an array of column indices, got "
                        + e.getValue());
            }
            List<Integer> columns = new ArrayList<>();
            for (JsonNode index : e.getValue()) {
                if (!index.isIntegralNumber() || !index.canConvertToInt()) {
                    throw new ModelConfigException(file + ": " + KEPT_COLUMNS_KEY + "." + e.getKey() + " must hold integer column indices, got "
                            + index);
                }
                columns.add(index.asInt());
            }
            kept.put(e.getKey(), columns);
        }
        return kept;
    }

    /** {@code int8_factors} of {@code dir/config.json}: the modules stored as int8 factors, empty when absent. */
    public static java.util.Set<String> int8Modules(Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        JsonNode node;
        try {
            node = io.svdwb.engine.files.JsonFiles.read(file).path(INT8_KEY);
        } catch (IOException e) {
            throw new ModelConfigException(e.getMessage(), e);
        }
        java.util.Set<String> modules = new java.util.LinkedHashSet<>();
        if (node.isMissingNode() || node.isNull()) {
            return modules;
        }
        if (!node.isArray()) {
            throw new ModelConfigException(file + ": " + INT8_KEY + " must be an array of module names, got " + node);
        }
        for (JsonNode module : node) {
            if (!module.isTextual() || !modules.add(module.textValue())) {
                throw new ModelConfigException(file + ": " + INT8_KEY + " must list distinct module names, got " + module);
            }
        }
        return modules;
    }

    /** The fields of the object under {@code key} in config.json; none when the key is absent or null. */
    private static Iterator<Map.Entry<String, JsonNode>> entries(Path file, String key, String shape) throws IOException {
        if (!Files.exists(file)) {
            throw new ModelConfigException(file + ": not found (a Hugging Face model folder needs config.json)");
        }
        JsonNode node;
        try {
            node = io.svdwb.engine.files.JsonFiles.read(file).path(key);
        } catch (IOException e) {
            throw new ModelConfigException(e.getMessage(), e);
        }
        if (node.isMissingNode() || node.isNull()) {
            return java.util.Collections.emptyIterator();
        }
        if (!node.isObject()) {
            throw new ModelConfigException(file + ": " + key + " must be an object " + shape + ", got " + node);
        }
        return node.fields();
    }
}
