package io.svdwb.engine.eval;

import io.svdwb.engine.model.TextTokenizer;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Turns an evaluation text into the token stream of the perplexity protocol (docs/METHODS.md §5.1):
 * the whole text tokenized once with one BOS at the very start, or, with a document separator
 * (TinyStories' {@code <|endoftext|>}), each document trimmed of surrounding whitespace and given its
 * own BOS. Empty documents (e.g. after the last separator) are skipped.
 */
public final class EvaluationText {

    private EvaluationText() {
    }

    public static int[] tokenize(String text, TextTokenizer tokenizer, String documentSeparator) {
        if (documentSeparator == null || documentSeparator.isEmpty()) {
            return withBos(tokenizer.encode(text), tokenizer);
        }
        String[] documents = text.split(Pattern.quote(documentSeparator), -1);
        int[] all = new int[0];
        int used = 0;
        for (String document : documents) {
            String trimmed = document.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int[] ids = withBos(tokenizer.encode(trimmed), tokenizer);
            if (used + ids.length > all.length) {
                all = Arrays.copyOf(all, Math.max(all.length * 2, used + ids.length));
            }
            System.arraycopy(ids, 0, all, used, ids.length);
            used += ids.length;
        }
        return Arrays.copyOf(all, used);
    }

    private static int[] withBos(int[] ids, TextTokenizer tokenizer) {
        if (!tokenizer.addsBos()) {
            return ids;
        }
        int[] out = new int[ids.length + 1];
        out[0] = tokenizer.bosId();
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }
}
