package io.svdwb.engine.calibration;

/**
 * A backend that accumulates calibration statistics where it computes (a GPU: the Grams stay on the device for the
 * whole layer and come back once), in place of the host's {@link StatisticsAccumulator}.
 */
public interface StatisticsOnDevice {

    /** A fresh accumulator for {@code layer}, or null when the device cannot accumulate now (the host's is used). */
    StatisticsAccumulator accumulator(int layer);
}
