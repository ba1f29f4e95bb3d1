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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opens a {@link ExportFormat#FACTORED factored} export: the ranks come from {@code truncation_ranks} in
 * config.json (ASVD's convention), the weights are checked by {@link Checkpoint#openFactored} (A [out, r],
 * B [r, in] exactly as the config and rank imply, nothing missing or unexpected), and the model built from
 * it runs the compressed projections as {@code LowRankLinear}.
 */
public final class FactoredCheckpoint {

    public static final String RANKS_KEY = "truncation_ranks";

    private static final ObjectMapper JSON = new ObjectMapper();

    private FactoredCheckpoint() {
    }

    /** The checkpoint in {@code dir}; a folder without {@code truncation_ranks} opens as a plain dense checkpoint. */
    public static Checkpoint open(Path dir) throws IOException {
        return Checkpoint.openFactored(dir, truncationRanks(dir));
    }

    /** A model over {@code checkpoint} (its factored modules become low-rank projections when layers load). */
    public static LlamaModel model(Checkpoint checkpoint, LinearAlgebra linalg, LlamaModel.Residency residency) {
        return new LlamaModel(checkpoint, linalg, residency);
    }

    /** {@code truncation_ranks} of {@code dir/config.json}: module name to rank, empty when absent. */
    public static Map<String, Integer> truncationRanks(Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new ModelConfigException(file + ": not found (a Hugging Face model folder needs config.json)");
        }
        JsonNode node;
        try {
            node = JSON.readTree(file.toFile()).path(RANKS_KEY);
        } catch (IOException e) {
            throw new ModelConfigException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        Map<String, Integer> ranks = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return ranks;
        }
        if (!node.isObject()) {
            throw new ModelConfigException(file + ": " + RANKS_KEY + " must be an object {module: rank}, got " + node);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isIntegralNumber() || !e.getValue().canConvertToInt() || e.getValue().asInt() < 1) {
                throw new ModelConfigException(file + ": " + RANKS_KEY + "." + e.getKey() + " must be a positive integer, got " + e.getValue());
            }
            ranks.put(e.getKey(), e.getValue().asInt());
        }
        return ranks;
    }
}
