/**
 * Weight gradients of the next-token cross-entropy on calibration windows, for the methods that need a backward pass:
 * FWSVD's exact Fisher weights (docs/METHODS.md §4.2) and Zero-Sum SVD's component scores (§4.11).
 * {@link io.svdwb.engine.compress.gradients.GradientPass} runs the double-precision LLaMA of {@code soco} with every
 * projection dense and collects, per matrix, {@link io.svdwb.engine.compress.gradients.MatrixGradients}: the sums of
 * squared per-batch gradients along both axes and the mean gradient. Like SoCo's student it holds the model and one
 * batch's activations in double, which suits the demo model, not a 7B one.
 */
package io.svdwb.engine.compress.gradients;
