/**
 * Calibration-driven searches for per-matrix ratios (docs/METHODS.md §4.3, §4.6, §4.7).
 * {@link io.svdwb.engine.compress.search.CalibrationProbe} measures NLL and KL of candidate replacements
 * from cached layer inputs without changing the model; {@link io.svdwb.engine.compress.search.AsvdRankSearch}
 * (with {@link io.svdwb.engine.compress.search.AsvdSensitivity}), {@link io.svdwb.engine.compress.search.DuoSvdAllocation}
 * (with {@link io.svdwb.engine.compress.search.DuoSvdSensitivity}) and
 * {@link io.svdwb.engine.compress.search.ResSvdLayerSearch} turn those measurements into kept ratios. How a
 * candidate is built is the caller's {@link io.svdwb.engine.compress.search.ReplacementFactory}.
 */
package io.svdwb.engine.compress.search;
