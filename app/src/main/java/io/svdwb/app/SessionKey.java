package io.svdwb.app;

import io.svdwb.engine.calibration.CalibrationSettings;
import java.nio.file.Path;

/**
 * What an engine session depends on: a new model, new calibration settings or another device need a new compression
 * context (the cached whitened decompositions belong to one calibration, and to the backend that computed them).
 */
public record SessionKey(Path modelDir, CalibrationSettings calibration, String device) {

    public SessionKey {
        device = device == null ? "cpu" : device;
    }

    /** On the CPU. */
    public SessionKey(Path modelDir, CalibrationSettings calibration) {
        this(modelDir, calibration, "cpu");
    }
}
