package io.svdwb.engine.compress.method;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The compression methods by their command-line names (docs/METHODS.md §4). */
public enum MethodId {
    SVD("svd", false, "plain truncated SVD of W (§4.1)"),
    FWSVD("fwsvd", true, "Fisher-weighted SVD: weights from squared cross-entropy gradients (§4.2, --fwsvd-fisher)"),
    ASVD("asvd", true, "activation-aware SVD: input channels scaled by mean |x|^alpha (§4.3)"),
    SVD_LLM("svd-llm", true, "SVD-LLM (W): Cholesky whitening, truncation-aware (§4.4)"),
    RESSVD("ressvd", true, "ResSVD: whitened residual compensation + compress only the last k layers (§4.7)"),
    DUO_SVD("duo-svd", true, "Duo-SVD: KL-sensitivity module allocation + column-preserving factors (§4.6)"),
    SOCO("soco", true, "SoCo: learned per-component scores (KL + budget + sparsity, three phases), global prune (§4.8)"),
    ZERO_SUM_SVD("zero-sum-svd", true, "Zero-Sum SVD: whitened components scored by a first-order loss change, pruned globally "
            + "keeping the predicted change near zero (§4.11)");

    private final String cliName;
    private final boolean needsCalibration;
    private final String summary;

    MethodId(String cliName, boolean needsCalibration, String summary) {
        this.cliName = cliName;
        this.needsCalibration = needsCalibration;
        this.summary = summary;
    }

    public String cliName() {
        return cliName;
    }

    /** Whether the method reads activation statistics (so a calibration run is needed first). */
    public boolean needsCalibration() {
        return needsCalibration;
    }

    public String summary() {
        return summary;
    }

    /** Case-insensitive lookup by command-line name; the error lists every valid name. */
    public static MethodId parse(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (MethodId id : values()) {
            if (id.cliName.equals(wanted)) {
                return id;
            }
        }
        throw new IllegalArgumentException("unknown method '" + name + "'; choose one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(MethodId::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
