package io.svdwb.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Refuses, before the native tokenizers library sees it, a tokenizer.json that would make that library
 * panic: a panic inside the JNI call aborts the whole JVM (exit 134, a Rust backtrace, no error line), so
 * these inputs must never reach it. Known cases (DJL tokenizers 0.33.0, Rust tokenizers 0.21.1):
 * <ul>
 *   <li>a BPE {@code continuing_subword_prefix} that the second part of a merge does not start with: the
 *       library cuts the prefix's byte length off that part ({@code bpe/model.rs}, "byte index out of
 *       bounds") without checking;</li>
 *   <li>a lone UTF-16 surrogate ({@code \ud800} without its pair) anywhere in a string: it has no UTF-8
 *       form, and the JNI string conversion does not survive it.</li>
 * </ul>
 * Other malformed definitions (wrong types, unknown models) the library reports as an ordinary exception.
 */
final class TokenizerDefinitionCheck {

    private TokenizerDefinitionCheck() {
    }

    /** @throws ModelConfigException naming {@code file} and the problem */
    static void check(JsonNode root, String file) throws ModelConfigException {
        String surrogate = findLoneSurrogate(root, "");
        if (surrogate != null) {
            throw new ModelConfigException(file + ": " + surrogate);
        }
        JsonNode model = root.path("model");
        JsonNode prefix = model.get("continuing_subword_prefix");
        if ("BPE".equals(model.path("type").asText()) && prefix != null && prefix.isTextual() && !prefix.asText().isEmpty()) {
            checkMergesCarryPrefix(model.path("merges"), prefix.asText(), file);
        }
    }

    private static void checkMergesCarryPrefix(JsonNode merges, String prefix, String file) throws ModelConfigException {
        for (int i = 0; i < merges.size(); i++) {
            JsonNode merge = merges.get(i);
            String second;
            if (merge.isArray() && merge.size() == 2) {
                second = merge.get(1).asText();
            } else if (merge.isTextual() && merge.asText().indexOf(' ') > 0) {
                second = merge.asText().substring(merge.asText().indexOf(' ') + 1);
            } else {
                continue; // the library itself refuses a malformed merge with an ordinary error
            }
            if (!second.startsWith(prefix)) {
                throw new ModelConfigException(file + ": model.continuing_subword_prefix '" + prefix + "' does not begin the second part '"
                        + second + "' of merge " + i + " " + merge + " (the tokenizers library would abort the JVM on it)");
            }
        }
    }

    /** Where the first unpaired surrogate is (object keys and string values), or null. */
    private static String findLoneSurrogate(JsonNode node, String path) {
        if (node.isTextual()) {
            int at = loneSurrogateIndex(node.asText());
            return at < 0 ? null : "the string at " + path + " holds a lone UTF-16 surrogate "
                    + String.format("\\u%04x", (int) node.asText().charAt(at)) + " (not valid Unicode)";
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = findLoneSurrogate(node.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                int at = loneSurrogateIndex(e.getKey());
                if (at >= 0) {
                    return "the key " + String.format("\\u%04x", (int) e.getKey().charAt(at)) + " at " + (path.isEmpty() ? "top level" : path)
                            + " is a lone UTF-16 surrogate (not valid Unicode)";
                }
                String found = findLoneSurrogate(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey());
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static int loneSurrogateIndex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
