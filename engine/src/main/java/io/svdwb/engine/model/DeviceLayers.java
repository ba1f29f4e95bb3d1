package io.svdwb.engine.model;

/**
 * A backend that runs a whole decoder layer where it computes (a GPU: the activations stay on the device through the
 * layer), in place of the layer's host forward. Implemented by a {@link io.svdwb.engine.linalg.LinearAlgebra} that can;
 * {@link DecoderLayer} asks it first when no one is listening to the projection inputs.
 */
public interface DeviceLayers {

    /**
     * Runs {@code layer} on {@code hidden} ([sequences * seqLen, hiddenSize]) in place, as
     * {@link DecoderLayer#forward(float[], int, int, RotaryEmbedding, int, ProjectionInputListener)} would to rounding,
     * showing the projection inputs to {@code listener}; or returns false, having changed nothing, for a layer or a
     * listener it cannot serve (a projection kind it does not support, a listener that needs the inputs on the host),
     * which then runs on the host.
     */
    boolean forward(DecoderLayer layer, float[] hidden, int sequences, int seqLen, RotaryEmbedding rope, int layerIndex,
            ProjectionInputListener listener);
}
