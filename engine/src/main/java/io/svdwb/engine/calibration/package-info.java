/**
 * Calibration (docs/METHODS.md §3.1, §3.2, §4.3, §6): {@link io.svdwb.engine.calibration.CalibrationSampler} draws
 * token windows from a text, {@link io.svdwb.engine.calibration.CalibrationStatistics} runs the model one decoder
 * layer at a time and sums, in double, the Gram matrix H = X Xᵀ and ASVD's activation statistics of every
 * projection input, and {@link io.svdwb.engine.calibration.Calibration} ties both to an on-disk cache of one F64
 * safetensors file per layer, so each (model, text, settings) is calibrated once.
 */
package io.svdwb.engine.calibration;
