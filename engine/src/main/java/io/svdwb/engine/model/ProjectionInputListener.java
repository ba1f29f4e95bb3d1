package io.svdwb.engine.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sees what each projection of a decoder layer reads, during a forward pass: how calibration collects
 * its statistics (Gram matrices, activation scales) without the model knowing about any method.
 */
@FunctionalInterface
public interface ProjectionInputListener {

    ProjectionInputListener NONE = (layer, input, activations) -> { };

    /**
     * @param activations [tokens, inFeatures] float32; valid only during the call (copy what you keep)
     */
    void onInput(int layer, ProjectionInput input, INDArray activations);
}
