package io.svdwb.engine.model;

/**
 * Tensor names of a projection stored as two factors, following ASVD's published checkpoints (the most
 * widely seen Hugging Face precedent): {@code <module>.BLinear.weight} [r, in] is applied
 * first, then {@code <module>.ALinear.weight} [out, r]; a bias stays dense and belongs to A. A
 * column-preserving module (Duo-SVD) adds {@code <module>.CLinear.weight} [out, q], the exact kept input
 * columns, and its B acts on the other {@code in - q} inputs only. A module stored in int8 (docs/METHODS.md §2.6)
 * keeps these names for its I8 codes and adds one float32 scale per row: {@code <module>.ALinear.weight_scale} [out]
 * and {@code <module>.BLinear.weight_scale} [r].
 */
public final class FactoredTensorNames {

    private FactoredTensorNames() {
    }

    /** The output factor A [out, r]. */
    public static String aWeight(String module) {
        return module + ".ALinear.weight";
    }

    /** The bias [out], carried by the output factor as in ASVD. */
    public static String aBias(String module) {
        return module + ".ALinear.bias";
    }

    /** The input factor B [r, in]. */
    public static String bWeight(String module) {
        return module + ".BLinear.weight";
    }

    /** The exact kept input columns C [out, q] of a column-preserving module. */
    public static String cWeight(String module) {
        return module + ".CLinear.weight";
    }

    /** The per-row scales [out] of an int8 output factor A. */
    public static String aScale(String module) {
        return module + ".ALinear.weight_scale";
    }

    /** The per-row scales [r] of an int8 input factor B. */
    public static String bScale(String module) {
        return module + ".BLinear.weight_scale";
    }
}
