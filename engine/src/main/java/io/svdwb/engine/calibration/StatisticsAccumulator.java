package io.svdwb.engine.calibration;

import io.svdwb.engine.model.ProjectionInputListener;

/** Sums one decoder layer's projection-input statistics over the batches it sees; {@link #result()} once at the end. */
public interface StatisticsAccumulator extends ProjectionInputListener {

    /** The layer's statistics (each Gram exactly symmetric); the accumulator is spent afterwards. */
    LayerStatistics result();
}
