package io.svdwb.engine.calibration;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A complete set of calibration statistics in the cache. Layers are read from disk on request (and verified
 * again), so a large model's statistics (about 1.4 GB per LLaMA-7B layer) never need to be in memory together.
 */
public final class CalibrationResult {

    private final CalibrationCache cache;
    private final CalibrationCacheKey key;
    private final int layers;
    private final boolean fromCache;
    private final CalibrationWindows windows;

    CalibrationResult(CalibrationCache cache, CalibrationCacheKey key, int layers, boolean fromCache, CalibrationWindows windows) {
        this.cache = cache;
        this.key = key;
        this.layers = layers;
        this.fromCache = fromCache;
        this.windows = windows;
    }

    /** The statistics of decoder layer {@code layer}, read and verified from the cache. */
    public LayerStatistics layer(int layer) throws IOException {
        if (layer < 0 || layer >= layers) {
            throw new IndexOutOfBoundsException("layer " + layer + " of " + layers);
        }
        return cache.load(key, layer);
    }

    public int layerCount() {
        return layers;
    }

    /** True when the statistics came from an earlier run and the model was not run. */
    public boolean fromCache() {
        return fromCache;
    }

    public CalibrationCacheKey key() {
        return key;
    }

    public Path folder() {
        return cache.folder(key);
    }

    /** The windows the statistics were computed on; null on a cache hit, where the text is not even tokenized. */
    public CalibrationWindows windows() {
        return windows;
    }
}
