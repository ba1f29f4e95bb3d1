package io.svdwb.engine.model;

import java.util.List;

/**
 * The four distinct inputs of a decoder layer's projections. Projections that read the same input
 * (q, k and v; gate and up) share its calibration statistics: one Gram matrix and one whitening
 * factor serve all of them (docs/METHODS.md §6.6).
 */
public enum ProjectionInput {
    /** RMS-normed residual stream entering attention: read by q, k, v. */
    ATTENTION_INPUT(List.of(ProjectionKind.Q, ProjectionKind.K, ProjectionKind.V)),
    /** Concatenated attention heads: read by o. */
    ATTENTION_OUTPUT(List.of(ProjectionKind.O)),
    /** RMS-normed residual stream entering the MLP: read by gate and up. */
    MLP_INPUT(List.of(ProjectionKind.GATE, ProjectionKind.UP)),
    /** silu(gate) * up: read by down. */
    MLP_HIDDEN(List.of(ProjectionKind.DOWN));

    private final List<ProjectionKind> readers;

    ProjectionInput(List<ProjectionKind> readers) {
        this.readers = readers;
    }

    public List<ProjectionKind> readers() {
        return readers;
    }

    public static ProjectionInput of(ProjectionKind kind) {
        for (ProjectionInput input : values()) {
            if (input.readers.contains(kind)) {
                return input;
            }
        }
        throw new IllegalArgumentException(kind.toString());
    }
}
