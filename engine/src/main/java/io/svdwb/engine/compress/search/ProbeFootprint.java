package io.svdwb.engine.compress.search;

import io.svdwb.engine.model.ModelConfig;
import java.util.Locale;

/**
 * The memory a {@link CalibrationProbe} holds, known before it allocates anything: the residual stream
 * at the input of every decoder layer plus after the last one, and the working copy of all windows' streams that a
 * layer-major probe carries from layer to layer ({@code (L + 2) x windows x tokens x hidden} floats) and, when KL is
 * measured, the teacher's log-probabilities ({@code windows x tokens x vocab} floats). Transient per-batch buffers
 * (one batch of logits) are not included.
 *
 * @param layerInputBytes the cached residual streams and the working copy
 * @param teacherBytes    the teacher's log-probabilities; 0 when only NLL is measured
 */
public record ProbeFootprint(long layerInputBytes, long teacherBytes) {

    public static ProbeFootprint of(ModelConfig config, int windows, int tokensPerWindow, boolean keepTeacher) {
        long tokens = (long) windows * tokensPerWindow;
        long states = (long) (config.numLayers() + 2) * tokens * config.hiddenSize() * Float.BYTES;
        long teacher = keepTeacher ? tokens * config.vocabSize() * Float.BYTES : 0;
        return new ProbeFootprint(states, teacher);
    }

    public long totalBytes() {
        return layerInputBytes + teacherBytes;
    }

    /** E.g. "3.2 GiB (layer inputs 1.0 GiB, teacher log-probabilities 2.2 GiB)". */
    public String describe() {
        return gib(totalBytes()) + " (layer inputs " + gib(layerInputBytes) + ", teacher log-probabilities "
                + gib(teacherBytes) + ")";
    }

    static String gib(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
