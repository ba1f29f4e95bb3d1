package io.svdwb.engine.model;

/** One compressible weight matrix of a checkpoint: where it sits and its [out, in] shape. */
public record MatrixSpec(int layer, ProjectionKind kind, String tensorName, int rows, int cols) {

    public long parameters() {
        return (long) rows * cols;
    }

    /** A short label such as {@code L3.q}. */
    public String label() {
        return "L" + layer + "." + kind.shortName();
    }
}
