package io.svdwb.app.session;

import io.svdwb.engine.calibration.CalibrationSettings;
import io.svdwb.engine.workbench.PerplexityEstimate;
import java.util.Objects;

/**
 * The perplexity estimate a session showed, with the whole setup it belongs to: its compression and protocol (text,
 * ctx, tokens, batch) are part of the estimate, the model is the session's, and {@code calibration} completes it.
 * Reopened under the same setup it is shown as it was, without computing it again.
 */
public record SavedEstimate(PerplexityEstimate estimate, CalibrationSettings calibration) {

    public SavedEstimate {
        Objects.requireNonNull(estimate, "estimate");
        Objects.requireNonNull(calibration, "calibration");
    }
}
