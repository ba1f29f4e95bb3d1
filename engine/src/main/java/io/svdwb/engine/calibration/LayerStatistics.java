package io.svdwb.engine.calibration;

import io.svdwb.engine.model.ProjectionInput;
import io.svdwb.engine.model.ProjectionKind;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The calibration statistics of one decoder layer: one {@link InputStatistics} per distinct projection input,
 * so q, k and v share one Gram matrix, and gate and up another (docs/METHODS.md §3.2, §6.6).
 */
public record LayerStatistics(int layer, Map<ProjectionInput, InputStatistics> inputs) {

    public LayerStatistics {
        inputs = Collections.unmodifiableMap(new EnumMap<>(inputs));
    }

    public InputStatistics of(ProjectionInput input) {
        InputStatistics s = inputs.get(input);
        if (s == null) {
            throw new IllegalStateException("layer " + layer + " has no statistics for " + input);
        }
        return s;
    }

    /** The statistics of what {@code projection} reads (the same object for q, k and v). */
    public InputStatistics of(ProjectionKind projection) {
        return of(ProjectionInput.of(projection));
    }

    /** Frees the Gram matrices' off-heap memory now; the statistics must not be used afterwards. */
    public void release() {
        for (InputStatistics input : inputs.values()) {
            if (!input.gram().wasClosed()) {
                input.gram().close();
            }
        }
    }
}
