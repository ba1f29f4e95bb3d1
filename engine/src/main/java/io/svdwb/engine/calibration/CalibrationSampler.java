package io.svdwb.engine.calibration;

import io.svdwb.engine.model.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * Draws calibration windows from a text the way SVD-LLM does (docs/METHODS.md §3.1): random start positions,
 * a BOS token in front of each window when the tokenizer's model expects one, exactly L tokens per window.
 *
 * <p>Two deliberate differences from the reference [OURS], both documented in the spec's spirit of "keep N, L
 * and the dataset": the text is tokenized once and start positions are drawn in token space (the reference
 * draws a character offset and re-tokenizes a 10·L-character slice per sample, which costs N tokenizer calls
 * and can start mid-word); and the random stream is {@link java.util.Random}, whose algorithm is fixed by its
 * specification, so a seed gives the same windows on every JVM and version.
 *
 * <p>The text must hold at least N × (L − BOS) tokens: windows may overlap, but a text much shorter than the
 * calibration set would mostly repeat itself, which is a configuration mistake worth stopping on.
 */
public final class CalibrationSampler {

    private final TextTokenizer tokenizer;

    public CalibrationSampler(TextTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Tokenizes {@code textFile} (UTF-8) once and draws {@code count} windows of {@code length} tokens. */
    public CalibrationWindows sample(Path textFile, int count, int length, long seed) throws IOException {
        int[] tokens = tokenizer.encode(io.svdwb.engine.files.TextFiles.readUtf8(textFile));
        return sample(tokens, textFile.toString(), count, length, seed);
    }

    /** Draws windows from already tokenized text; {@code source} names it in error messages. */
    public CalibrationWindows sample(int[] tokens, String source, int count, int length, long seed) {
        if (count <= 0 || length <= 0) {
            throw new IllegalArgumentException("need a positive number of windows and tokens per window, got " + count + " x " + length);
        }
        boolean bos = tokenizer.addsBos();
        int body = bos ? length - 1 : length;
        if (body <= 0) {
            throw new IllegalArgumentException("a window of " + length + " token(s) has no room for text after the BOS token");
        }
        long needed = (long) count * body;
        if (tokens.length < body || tokens.length < needed) {
            throw new IllegalArgumentException(source + ": the text has " + tokens.length + " tokens, calibration needs "
                    + needed + " (" + count + " windows of " + body + " text tokens" + (bos ? " after the BOS" : "")
                    + "); use a longer text (e.g. the full WikiText-2 train file) or fewer/shorter windows");
        }
        Random random = new Random(seed);
        int[][] windows = new int[count][];
        int[] starts = new int[count];
        int lastStart = tokens.length - body;
        for (int w = 0; w < count; w++) {
            int start = random.nextInt(lastStart + 1);
            int[] window = new int[length];
            int offset = 0;
            if (bos) {
                window[0] = tokenizer.bosId();
                offset = 1;
            }
            System.arraycopy(tokens, start, window, offset, body);
            windows[w] = window;
            starts[w] = start;
        }
        return new CalibrationWindows(windows, starts, tokens.length);
    }
}
