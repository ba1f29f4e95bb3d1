package io.svdwb.engine.model;

/**
 * Tensor names of a projection stored as two factors, following ASVD's published checkpoints (the most
 * widely seen Hugging Face precedent, practices.md C.3): {@code <module>.BLinear.weight} [r, in] is applied
 * first, then {@code <module>.ALinear.weight} [out, r]; a bias stays dense and belongs to A.
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
}
