package io.svdwb.engine.linalg;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A host array used as it is: the CPU backend's {@link ResidentMatrix}; its owner frees the array. */
public record HostMatrix(INDArray array) implements ResidentMatrix {

    @Override
    public Location location() {
        return Location.HOST;
    }

    @Override
    public long rows() {
        return array.rows();
    }

    @Override
    public long columns() {
        return array.columns();
    }

    @Override
    public void close() {
        // the array belongs to whoever made it resident
    }
}
