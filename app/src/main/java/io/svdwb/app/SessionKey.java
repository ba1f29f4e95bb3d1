package io.svdwb.app;

import io.svdwb.engine.calibration.CalibrationSettings;
import java.nio.file.Path;

/**
 * What an engine session depends on: a new model or new calibration settings need a new compression context
 * (the cached whitened decompositions belong to one calibration).
 */
public record SessionKey(Path modelDir, CalibrationSettings calibration) {
}
