package io.svdwb.engine.compress.gradients;

import java.util.Locale;

/**
 * Which calibration windows the gradient pass runs on (all [OURS]; docs/METHODS.md §4.2). One batch is one backward:
 * {@code G_b = dLoss/dW} over its {@code windowsPerBatch} windows, and FWSVD's Fisher sums square each G_b, so the
 * batch size changes the result, not only the speed.
 *
 * @param batches         how many batches (backward passes)
 * @param windowsPerBatch windows in one batch
 * @param length          tokens per window; 0 = the calibration length
 * @param seed            seed of the windows drawn from the calibration text
 */
public record GradientPassSettings(int batches, int windowsPerBatch, int length, long seed) {

    /** 32 windows as the spec's 32 samples, one per batch, so each G_b is one window's gradient [OURS]. */
    public static final GradientPassSettings DEFAULTS = new GradientPassSettings(32, 1, 0, 3);

    public GradientPassSettings {
        if (batches < 1 || windowsPerBatch < 1) {
            throw new IllegalArgumentException("the gradient pass needs at least 1 batch of at least 1 window, got "
                    + batches + " batches of " + windowsPerBatch);
        }
        if (length != 0 && length < 2) {
            throw new IllegalArgumentException("gradient windows need at least 2 tokens (0 = the calibration length), got " + length);
        }
    }

    public GradientPassSettings withBatches(int count) {
        return new GradientPassSettings(count, windowsPerBatch, length, seed);
    }

    /** The window length to use: {@link #length()}, or {@code calibrationLength} when that is 0. */
    public int resolvedLength(int calibrationLength) {
        return length == 0 ? calibrationLength : length;
    }

    /** Names the pass for caches: every field, with the length resolved. */
    public String key(int calibrationLength) {
        return String.format(Locale.ROOT, "batches=%d windows=%d length=%d seed=%d", batches, windowsPerBatch,
                resolvedLength(calibrationLength), seed);
    }
}
