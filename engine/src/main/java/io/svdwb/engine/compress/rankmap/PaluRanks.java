package io.svdwb.engine.compress.rankmap;

import com.fasterxml.jackson.databind.JsonNode;
import io.svdwb.engine.model.MatrixSpec;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Palu's {@code head_wise_ranks} (shadowpa0327/Palu utils.py dump_to_huggingface_repos writes
 * {@code config["head_wise_ranks"][name] = module.ranks} for every HeadwiseLowRankModule; palu/rank_search.py fills it
 * for k_proj and v_proj only). palu/model/modules/svd_linear.py HeadwiseLowRankModule: the weight's rows are split into
 * {@code len(ranks)} equal consecutive groups (out_features must be divisible), group i is factored at rank
 * {@code ranks[i]}, and the group factors share one latent of width {@code sum(ranks)} (VT is sum(ranks) x in).
 *
 * <p>We store one factorisation per matrix, so a module imports as rank {@code sum(ranks)} [OURS]: the width of Palu's
 * latent (the KV-cache size Palu budgets), and an upper bound on the rank of its block-wise reconstruction. Our factors
 * store {@code sum(r) (m + n)} numbers where Palu's store {@code sum(r) (n + m / groups)}.
 */
final class PaluRanks {

    static final String KEY = "head_wise_ranks";

    private PaluRanks() {
    }

    /** {@code root} is a config.json with {@value #KEY}, or the bare {module: [ranks]} object itself. */
    static Map<String, Integer> read(JsonNode root, ModuleIndex index) {
        JsonNode body = root.has(KEY) ? root.get(KEY) : root;
        String prefix = root.has(KEY) ? KEY + "." : "";
        // without the key the whole object is the map; say so, or "model_type must be ..." would puzzle
        String bare = root.has(KEY) ? "" : " (no " + KEY + " key, so the whole file is read as the map)";
        if (!body.isObject()) {
            throw new IllegalArgumentException(index.file() + ": " + KEY + " must be an object {module: [ranks per head group]}, got "
                    + body.getNodeType());
        }
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int[] groups = groupRanks(index.file() + ": " + prefix + e.getKey(), e.getValue(), bare);
            MatrixSpec matrix = index.matrix(e.getKey());
            if (matrix != null) {
                long sum;
                try {
                    sum = combinedRank(matrix.rows(), matrix.cols(), groups);
                } catch (IllegalArgumentException bad) {
                    throw new IllegalArgumentException(index.file() + ": " + e.getKey() + ": " + bad.getMessage(), bad);
                }
                ranks.put(e.getKey(), index.checkedRank(e.getKey(), matrix, sum, " (the sum of its group ranks)"));
            }
        }
        return ranks;
    }

    /**
     * The rank of one module: {@code sum(groupRanks)}, after Palu's own constraints: the group count divides the
     * {@code rows}, and each group's rank lies in [1, min(rows / groups, cols)] (a group's block is rows/groups x cols).
     */
    static long combinedRank(int rows, int cols, int[] groupRanks) {
        int groups = groupRanks.length;
        if (groups == 0 || rows % groups != 0) {
            throw new IllegalArgumentException(groups + " head groups do not divide the " + rows + " output rows (Palu splits the rows "
                    + "into equal groups)");
        }
        int blockMax = Math.min(rows / groups, cols);
        long sum = 0;
        for (int g = 0; g < groups; g++) {
            if (groupRanks[g] < 1 || groupRanks[g] > blockMax) {
                throw new IllegalArgumentException("group " + g + " rank " + groupRanks[g] + " is outside [1, " + blockMax
                        + "] for its " + rows / groups + " x " + cols + " block");
            }
            sum += groupRanks[g];
        }
        return sum;
    }

    private static int[] groupRanks(String where, JsonNode value, String bare) {
        if (!value.isArray() || value.isEmpty()) {
            throw new IllegalArgumentException(where + " must be a non-empty array of integer ranks (one per head group), got " + value + bare);
        }
        int[] ranks = new int[value.size()];
        for (int i = 0; i < ranks.length; i++) {
            JsonNode r = value.get(i);
            // Palu's rounding leaves Python ints; a float here is a different file
            if (!r.isIntegralNumber() || !r.canConvertToInt()) {
                throw new IllegalArgumentException(where + "[" + i + "] must be an integer rank, got " + r);
            }
            ranks[i] = r.asInt();
        }
        return ranks;
    }
}
