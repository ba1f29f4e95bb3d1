package io.svdwb.app;

import io.svdwb.engine.calibration.CalibrationCache;
import java.nio.file.Path;

/**
 * The engine settings of the UI tests: the embedded texts, and a calibration cache inside this module's build
 * folder, so that tests never read what a user's runs left in ~/.cache (the cache is keyed by model, text and
 * settings, and verified on every hit, so sharing it between the test classes of one build is safe).
 */
final class TestEngineSettings {

    static final Path CACHE = Path.of("target", "test-calibration-cache").toAbsolutePath();

    private TestEngineSettings() {
    }

    static EngineSettings settings() {
        return EngineSettings.withCache(new CalibrationCache(CACHE));
    }
}
