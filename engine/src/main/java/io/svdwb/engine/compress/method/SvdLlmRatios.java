package io.svdwb.engine.compress.method;

/** How SVD-LLM chooses each matrix's compression ratio. */
public enum SvdLlmRatios {
    /** k(rho) for every matrix (SVD-LLM, docs/METHODS.md §2.3, §4.4). */
    UNIFORM,
    /** SVD-LLM V2's heterogeneous ratios within each matrix type, from the truncation losses (§4.5). */
    LOSS_BASED;

    /** {@code uniform} or {@code v2}, as the command line names them. */
    public static SvdLlmRatios parse(String name) {
        return switch (name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "uniform" -> UNIFORM;
            case "v2" -> LOSS_BASED;
            default -> throw new IllegalArgumentException("--svd-llm-ratios must be uniform or v2, got '" + name + "'");
        };
    }
}
