package io.svdwb.engine.calibration;

import io.svdwb.engine.model.ModelConfig;

/**
 * How calibration data is drawn and batched (docs/METHODS.md §3.1, §5.2).
 *
 * @param samples         number of windows N; default 256 (SVD-LLM) [CODE]
 * @param windowLength    tokens per window L, BOS included; 0 means min(2048, max_position_embeddings) [CODE, capped: OURS]
 * @param seed            sampler seed; default 3, the SVD-LLM scripts' seed (our java.util.Random stream differs from
 *                        Python's, so the samples differ anyway: docs/METHODS.md §3.1) [OURS]
 * @param windowsPerBatch windows per forward pass; 8 by default [OURS]. It changes only the summation order of the
 *                        statistics (rounding in the last bits), but it is part of the cache key so that a cache hit is
 *                        bit for bit what a fresh run would give.
 */
public record CalibrationSettings(int samples, int windowLength, long seed, int windowsPerBatch) {

    public static final int DEFAULT_SAMPLES = 256;
    public static final int MAX_DEFAULT_WINDOW_LENGTH = 2048;
    public static final long DEFAULT_SEED = 3;
    public static final int DEFAULT_WINDOWS_PER_BATCH = 8;

    public CalibrationSettings {
        if (samples <= 0) {
            throw new IllegalArgumentException("calibration needs at least one sample, got " + samples);
        }
        if (windowLength < 0 || windowLength == 1) {
            throw new IllegalArgumentException("window length must be 0 (model default) or at least 2 tokens, got " + windowLength);
        }
        if (windowsPerBatch <= 0) {
            throw new IllegalArgumentException("windows per batch must be positive, got " + windowsPerBatch);
        }
    }

    /** The SVD-LLM defaults: 256 windows of min(2048, max positions) tokens, seed 3, 8 windows per forward pass. */
    public static CalibrationSettings defaults() {
        return new CalibrationSettings(DEFAULT_SAMPLES, 0, DEFAULT_SEED, DEFAULT_WINDOWS_PER_BATCH);
    }

    public CalibrationSettings withSamples(int n) {
        return new CalibrationSettings(n, windowLength, seed, windowsPerBatch);
    }

    public CalibrationSettings withWindowLength(int length) {
        return new CalibrationSettings(samples, length, seed, windowsPerBatch);
    }

    public CalibrationSettings withSeed(long newSeed) {
        return new CalibrationSettings(samples, windowLength, newSeed, windowsPerBatch);
    }

    public CalibrationSettings withWindowsPerBatch(int n) {
        return new CalibrationSettings(samples, windowLength, seed, n);
    }

    /** The window length this model gets: the explicit one, else min(2048, max_position_embeddings). */
    public int windowLengthFor(ModelConfig config) {
        int limit = config.maxPositionEmbeddings() > 0 ? config.maxPositionEmbeddings() : MAX_DEFAULT_WINDOW_LENGTH;
        if (windowLength == 0) {
            return Math.min(MAX_DEFAULT_WINDOW_LENGTH, limit);
        }
        if (windowLength > limit) {
            throw new IllegalArgumentException("window length " + windowLength + " exceeds the model's max_position_embeddings (" + limit + ")");
        }
        return windowLength;
    }
}
