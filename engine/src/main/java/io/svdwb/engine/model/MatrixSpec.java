package io.svdwb.engine.model;

/** One compressible weight matrix of a checkpoint: where it sits and its [out, in] shape. */
public record MatrixSpec(int layer, ProjectionKind kind, String tensorName, int rows, int cols) {

    /** Every compressible matrix of a model with this config, layer by layer, in {@link ProjectionKind} order. */
    public static java.util.List<MatrixSpec> all(ModelConfig config) {
        java.util.List<MatrixSpec> specs = new java.util.ArrayList<>();
        for (int layer = 0; layer < config.numLayers(); layer++) {
            for (ProjectionKind kind : ProjectionKind.values()) {
                specs.add(new MatrixSpec(layer, kind, kind.weightName(layer), kind.outFeatures(config), kind.inFeatures(config)));
            }
        }
        return specs;
    }

    public long parameters() {
        return (long) rows * cols;
    }

    /** A short label such as {@code L3.q}. */
    public String label() {
        return "L" + layer + "." + kind.shortName();
    }
}
