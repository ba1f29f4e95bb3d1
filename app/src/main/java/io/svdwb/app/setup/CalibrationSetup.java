package io.svdwb.app.setup;

import io.svdwb.engine.EmbeddedResources;
import io.svdwb.engine.calibration.Calibration;
import io.svdwb.engine.calibration.CalibrationCache;
import io.svdwb.engine.calibration.CalibrationSettings;
import io.svdwb.engine.linalg.LinearAlgebra;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where calibration statistics come from (the CLI's --calib, --calib-samples, --calib-length, --seed, --calib-cache).
 *
 * @param text        the calibration text
 * @param cacheFolder where statistics are cached; null = the engine's default (~/.cache/svdwb/calibration)
 */
public record CalibrationSetup(Path text, CalibrationSettings settings, Path cacheFolder) {

    public CalibrationSetup {
        Objects.requireNonNull(settings, "settings");
    }

    /** The embedded head of WikiText-2 train with the SVD-LLM defaults (256 windows, seed 3), default cache. */
    public static CalibrationSetup defaults() {
        Path text = EmbeddedResources.folder().map(folder -> folder.resolve(EmbeddedResources.WIKITEXT2_TRAIN)).orElse(null);
        return new CalibrationSetup(text, CalibrationSettings.defaults(), null);
    }

    public Calibration calibration() {
        CalibrationCache cache = cacheFolder == null ? CalibrationCache.atDefaultLocation() : new CalibrationCache(cacheFolder);
        return new Calibration(cache, LinearAlgebra.cpu());
    }

    public CalibrationSetup withSettings(CalibrationSettings newSettings) {
        return new CalibrationSetup(text, newSettings, cacheFolder);
    }
}
