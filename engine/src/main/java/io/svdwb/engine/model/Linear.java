package io.svdwb.engine.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A linear projection {@code y = W x + b} applied to a batch of row vectors. The model only talks to
 * this interface, so a compressed (low-rank) matrix replaces a dense one without touching model code.
 */
public interface Linear {

    /** Maps {@code x} of shape [tokens, inFeatures] to [tokens, outFeatures] (float32). */
    INDArray forward(INDArray x);

    int inFeatures();

    int outFeatures();

    /** Numbers stored for the weight (bias excluded), as in the parameter accounting of docs/METHODS.md §2. */
    long storedWeightParameters();
}
