package io.svdwb.app;

import io.svdwb.engine.EmbeddedResources;
import io.svdwb.engine.calibration.CalibrationCache;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the engine finds its texts and keeps its calibration cache. The defaults are the embedded WikiText-2
 * texts (first megabyte of train for calibration, test for perplexity) and the user's cache folder; tests pass
 * their own cache so they never depend on what an earlier run left behind.
 *
 * @param calibrationText  calibration samples are drawn from it; null if not found (calibrating methods then fail with a message)
 * @param evaluationText   perplexity is measured on it; null if not found
 * @param calibrationCache the on-disk calibration statistics cache
 */
public record EngineSettings(Path calibrationText, Path evaluationText, CalibrationCache calibrationCache) {

    public static EngineSettings defaults() {
        return withCache(CalibrationCache.atDefaultLocation());
    }

    /** The embedded texts with the calibration cache at {@code cache}. */
    public static EngineSettings withCache(CalibrationCache cache) {
        return new EngineSettings(embedded(EmbeddedResources.WIKITEXT2_TRAIN), embedded(EmbeddedResources.WIKITEXT2_TEST), cache);
    }

    private static Path embedded(String relative) {
        return EmbeddedResources.folder().map(folder -> folder.resolve(relative)).filter(Files::isRegularFile).orElse(null);
    }
}
