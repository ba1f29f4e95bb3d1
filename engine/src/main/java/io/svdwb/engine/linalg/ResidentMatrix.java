package io.svdwb.engine.linalg;

/**
 * A matrix that many products read, kept where its backend computes: on the CPU the host array itself, on a GPU one
 * upload for all of them (a decoder layer's weights are read by every batch of a pass). Made by
 * {@link LinearAlgebra#resident}; only the backend that made it may use it. Closing frees what the backend holds (device
 * memory), never the host array.
 */
public interface ResidentMatrix extends AutoCloseable {

    /** Where the backend keeps the data. */
    enum Location { HOST, DEVICE }

    Location location();

    long rows();

    long columns();

    @Override
    void close();
}
