package io.svdwb.engine.export;

/** How compressed projections are stored in an exported checkpoint. */
public enum ExportFormat {
    /**
     * The original architecture with {@code W' = A B} multiplied out: loads in any Hugging Face-compatible
     * tool but saves no memory. Multiplied-out weights (and their biases) are stored as F32 whatever the
     * source dtype, so the export holds exactly the function evaluated in the workbench; untouched tensors
     * keep their source dtype and bytes.
     */
    DENSE("dense"),
    /**
     * ASVD-style: {@code <module>.BLinear.weight} [r, in] and {@code <module>.ALinear.weight} [out, r] (bias
     * on A, all F32) plus {@code truncation_ranks} in config.json. A column-preserving module adds
     * {@code <module>.CLinear.weight} [out, q] and its kept columns under {@code column_preserving_kept_columns}
     * (docs/EXPORT.md). Reloaded by {@link FactoredCheckpoint}.
     */
    FACTORED("factored");

    private final String id;

    ExportFormat(String id) {
        this.id = id;
    }

    /** The name written into the manifest and the safetensors metadata. */
    public String id() {
        return id;
    }
}
