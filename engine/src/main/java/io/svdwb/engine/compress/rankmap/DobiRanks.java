package io.svdwb.engine.compress.rankmap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.model.MatrixSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Dobi-SVD's {@code k_dict_NNNNN.json} and {@code best_gamma.json} (wangqinsi1/Dobi-SVD svd_trainer.py:
 * {@code k_dict[name] = module.gamma.item()} for every SVDTransformLayer, i.e. every nn.Linear but lm_head, plus
 * {@code ppl}, {@code compression_ratio}, {@code lr}; best_gamma.json adds {@code PPL_ORIG}, final_gamma.json {@code PPL}).
 *
 * <p>A value is the learned truncation position k of the layer's activation (at most the training sequence length L,
 * which the trainer's penalty enforces). The trainer counts a module as {@code (m + n) k min(m, n) / L} parameters, and
 * weight_updater.py's decomposition without remapping builds {@code SVDTransformLayer(gamma = int(cut * ceil(k)))} with
 * {@code cut = min(m, n) / L}. We import that rank, computed exactly in integers:
 * {@code rank = floor(min(m, n) * ceil(k) / L)}. Files trained with remapping ({@code Diff-Remapping-*}) store their
 * factors another way (quantized, rank {@code int(cut k)}); we import them by the same formula [OURS].
 */
final class DobiRanks {

    /** svd_trainer.py's {@code --seq_len} default. */
    static final int DEFAULT_SEQUENCE_LENGTH = 2048;
    /** The run's own numbers that k_dict files carry beside the modules. */
    static final Set<String> METADATA_KEYS = Set.of("ppl", "compression_ratio", "lr", "PPL_ORIG", "PPL");
    /** Written by svd_trainer.py next to the k_dict files; dataset_processing.SEQ_LEN is L. */
    static final String PARA_CONFIG = "para_config.json";

    private DobiRanks() {
    }

    static Map<String, Integer> read(JsonNode root, ModuleIndex index, int sequenceLength) {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (METADATA_KEYS.contains(e.getKey())) {
                skipped.add(e.getKey());
                continue;
            }
            JsonNode v = e.getValue();
            if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                throw new IllegalArgumentException(index.file() + ": " + e.getKey() + " must be a number (the truncation position k), got " + v);
            }
            MatrixSpec matrix = index.matrix(e.getKey());
            if (matrix != null) {
                double k = v.asDouble();
                long rank = rank(matrix.rows(), matrix.cols(), k, sequenceLength);
                ranks.put(e.getKey(), index.checkedRank(e.getKey(), matrix, rank, String.format(Locale.ROOT,
                        " (floor(min(m, n) ceil(k) / L) with k = %s, L = %d)", v.asText(), sequenceLength)));
            }
        }
        if (!skipped.isEmpty()) {
            index.note("skipped the Dobi-SVD run's own entries " + skipped);
        }
        return ranks;
    }

    /** {@code floor(min(m, n) * ceil(k) / L)}: weight_updater.py's no-remapping rank, in exact integer arithmetic. */
    static long rank(int m, int n, double k, int sequenceLength) {
        if (sequenceLength < 1) {
            throw new IllegalArgumentException("Dobi-SVD sequence length must be >= 1, got " + sequenceLength);
        }
        // capped so that an absurd k still gives an out-of-range rank (and its error), not an overflow
        long ceilK = (long) Math.min(Math.ceil(k), Integer.MAX_VALUE);
        return Math.floorDiv(Math.multiplyExact((long) Math.min(m, n), ceilK), (long) sequenceLength);
    }

    /**
     * L for a file: {@code configured} when positive; else {@code para_config.json} beside the file; else 2048. The choice
     * is noted.
     */
    static int sequenceLength(Path file, int configured, ModuleIndex index) throws IOException {
        if (configured > 0) {
            index.note("Dobi-SVD sequence length L = " + configured + " (given)");
            return configured;
        }
        Path para = file.toAbsolutePath().resolveSibling(PARA_CONFIG);
        if (Files.isRegularFile(para)) {
            JsonNode seq = new ObjectMapper().readTree(para.toFile()).path("dataset_processing").path("SEQ_LEN");
            if (!seq.canConvertToInt() || !seq.isIntegralNumber() || seq.asInt() < 1) {
                throw new IllegalArgumentException(para + ": dataset_processing.SEQ_LEN must be a positive integer, got " + seq);
            }
            index.note("Dobi-SVD sequence length L = " + seq.asInt() + " from " + para);
            return seq.asInt();
        }
        index.note("Dobi-SVD sequence length L = " + DEFAULT_SEQUENCE_LENGTH + " (Dobi-SVD's default; no " + PARA_CONFIG
                + " beside the file; set it with --rank-map-seq-len)");
        return DEFAULT_SEQUENCE_LENGTH;
    }
}
