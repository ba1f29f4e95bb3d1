package io.svdwb.engine.compress.rankmap;

import com.fasterxml.jackson.databind.JsonNode;
import io.svdwb.engine.model.MatrixSpec;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ASVD's {@code truncation_ranks} (hahnyuan/ASVD4LLM huggingface_repos/build_asvd_repo.py writes
 * {@code config["truncation_ranks"][name] = module.truncation_rank}, modules/svd_linear.py sets
 * {@code truncation_rank = S.size(0)}, the kept singular values: an integer rank per module name). Our factored
 * export writes the same key (export/CheckpointExporter).
 */
final class AsvdRanks {

    static final String KEY = "truncation_ranks";
    /** Our factored export's column-preserving modules (Duo-SVD): their truncation rank is kc, beside q dense columns. */
    static final String KEPT_COLUMNS_KEY = "column_preserving_kept_columns";

    private AsvdRanks() {
    }

    /** {@code root} is a config.json with {@value #KEY}, or the bare {module: rank} object itself. */
    static Map<String, Integer> read(JsonNode root, ModuleIndex index) {
        JsonNode body = root.has(KEY) ? root.get(KEY) : root;
        String prefix = root.has(KEY) ? KEY + "." : "";
        // without the key the whole object is the map; say so, or "model_type must be ..." would puzzle
        String bare = root.has(KEY) ? "" : " (no " + KEY + " key, so the whole file is read as the map)";
        if (!body.isObject()) {
            throw new IllegalArgumentException(index.file() + ": " + KEY + " must be an object {module: rank}, got " + body.getNodeType());
        }
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw new IllegalArgumentException(index.file() + ": " + prefix + e.getKey() + " must be an integer rank, got " + v + bare);
            }
            MatrixSpec matrix = index.matrix(e.getKey());
            if (matrix != null) {
                ranks.put(e.getKey(), index.checkedRank(e.getKey(), matrix, v.asLong(), ""));
            }
        }
        JsonNode kept = root.path(KEPT_COLUMNS_KEY);
        if (root.has(KEY) && kept.isObject() && kept.size() > 0) {
            index.note(kept.size() + " modules were column-preserving in the export (rank kc plus dense input columns); "
                    + "they are imported as plain rank-kc factorisations");
        }
        return ranks;
    }
}
