package io.svdwb.engine.compress.rankmap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.model.MatrixSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a peer's rank-map file into a {@link RankMap} for one model (docs/METHODS.md §2.7): ASVD / our factored export
 * ({@code truncation_ranks}), Palu ({@code head_wise_ranks}) or Dobi-SVD ({@code k_dict_*.json}), given or detected
 * from the content. Every error is an IllegalArgumentException naming the file and the entry: malformed JSON, an
 * unknown module, a rank outside [1, min(m, n)], a value of the wrong type, a format that cannot be told.
 */
public final class RankMapReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RankMapReader() {
    }

    /**
     * @param path     the JSON file, or an export folder (its config.json is read)
     * @param matrices the model's compressible matrices ({@code Checkpoint.matrices()})
     */
    public static RankMap read(Path path, RankMapSettings settings, List<MatrixSpec> matrices) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve("config.json") : path;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": rank-map file not found");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": malformed JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")" : ""), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": a rank map must be a JSON object, got " + (root == null ? "nothing" : root.getNodeType()));
        }
        RankMapFormat format = settings.format() != null ? settings.format() : detect(root, file.toString());
        ModuleIndex index = new ModuleIndex(file.toString(), matrices);
        Map<String, Integer> ranks = switch (format) {
            case ASVD -> AsvdRanks.read(root, index);
            case PALU -> PaluRanks.read(root, index);
            case DOBI -> DobiRanks.read(root, index, DobiRanks.sequenceLength(file, settings.dobiSequenceLength(), index));
        };
        return new RankMap(format, file.toString(), index.inModelOrder(ranks), settings.missing(), index.notes());
    }

    /**
     * The format by content: a {@code truncation_ranks} key is ASVD, {@code head_wise_ranks} Palu; a bare object is
     * Dobi-SVD if it carries Dobi's run entries or any floating-point value (Python's json writes k as 403.6 or 403.0),
     * Palu if its values are arrays, ASVD if they are integers.
     */
    static RankMapFormat detect(JsonNode root, String file) {
        boolean asvd = root.has(AsvdRanks.KEY);
        boolean palu = root.has(PaluRanks.KEY);
        if (asvd && palu) {
            throw new IllegalArgumentException(file + ": holds both " + AsvdRanks.KEY + " and " + PaluRanks.KEY
                    + "; say which to read with --rank-map-format asvd or palu");
        }
        if (asvd || palu) {
            return asvd ? RankMapFormat.ASVD : RankMapFormat.PALU;
        }
        if (root.isEmpty()) {
            throw new IllegalArgumentException(file + ": the rank map is an empty object");
        }
        boolean integers = true;
        boolean arrays = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (DobiRanks.METADATA_KEYS.contains(e.getKey()) || e.getValue().isFloatingPointNumber()) {
                return RankMapFormat.DOBI;
            }
            integers &= e.getValue().isIntegralNumber();
            arrays &= e.getValue().isArray();
        }
        if (integers) {
            return RankMapFormat.ASVD;
        }
        if (arrays) {
            return RankMapFormat.PALU;
        }
        throw new IllegalArgumentException(file + ": cannot tell the rank-map format (no " + AsvdRanks.KEY + " or " + PaluRanks.KEY
                + " key, and the values are neither all integer ranks, all arrays of group ranks, nor Dobi-SVD's float k); "
                + "pass --rank-map-format " + RankMapFormat.names().replace(", ", "|"));
    }
}
