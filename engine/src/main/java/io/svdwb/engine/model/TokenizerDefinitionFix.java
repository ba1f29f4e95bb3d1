package io.svdwb.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs one known mismatch between a tokenizer.json and the SentencePiece model it was converted
 * from. Converters emulate SentencePiece's {@code remove_extra_whitespaces} with a Replace normalizer on
 * the regex {@code ^ +| +$}, meaning "spaces at the start or end of the text" (Python semantics). The
 * Hugging Face tokenizers library evaluates regexes with Oniguruma, where {@code ^} and {@code $} match
 * at every line break, so it also deletes spaces next to each newline: on WikiText, whose lines start
 * with a space, that changes the token ids and the perplexity. Rewriting exactly that pattern to the
 * whole-text anchors {@code \A +| +\z} restores the SentencePiece behaviour; nothing else is touched.
 */
final class TokenizerDefinitionFix {

    static final String LINE_ANCHORED = "^ +| +$";
    static final String TEXT_ANCHORED = "\\A +| +\\z";

    private static final Logger LOG = LoggerFactory.getLogger(TokenizerDefinitionFix.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenizerDefinitionFix() {
    }

    static byte[] wholeTextAnchors(byte[] tokenizerJson) throws IOException {
        JsonNode root = JSON.readTree(tokenizerJson);
        if (root == null || !root.isObject()) {
            throw new IOException("tokenizer.json is not a JSON object");
        }
        if (!rewrite(root.get("normalizer"))) {
            return tokenizerJson;
        }
        LOG.info("tokenizer.json: normalizer regex '{}' read with whole-text anchors, as SentencePiece strips only "
                + "the ends of the text", LINE_ANCHORED);
        return JSON.writeValueAsBytes(root);
    }

    private static boolean rewrite(JsonNode normalizer) {
        if (normalizer == null || !normalizer.isObject()) {
            return false;
        }
        boolean changed = false;
        JsonNode children = normalizer.get("normalizers");
        if (children != null && children.isArray()) {
            for (JsonNode child : children) {
                changed |= rewrite(child);
            }
        }
        JsonNode pattern = normalizer.get("pattern");
        if ("Replace".equals(normalizer.path("type").asText()) && pattern != null && pattern.isObject()
                && LINE_ANCHORED.equals(pattern.path("Regex").asText(null))) {
            ((ObjectNode) pattern).put("Regex", TEXT_ANCHORED);
            changed = true;
        }
        return changed;
    }
}
