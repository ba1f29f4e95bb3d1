package io.svdwb.app.compare;

import io.svdwb.engine.compress.method.MethodId;

/** Which norm each method's reported truncation loss is in (compress.method's recipes), for the heat map's legend. */
final class LossMetric {

    private LossMetric() {
    }

    static String of(String method) {
        MethodId id;
        try {
            id = MethodId.parse(method);
        } catch (IllegalArgumentException e) {
            return "in the method's own metric";
        }
        return switch (id) {
            case SVD -> "‖W − W′‖ (plain weight error)";
            case FWSVD -> "‖(W − W′) D‖ with the diagonal Fisher weights D";
            case ZERO_SUM_SVD -> "‖W X − W′ X‖ on calibration tokens (0 for a matrix kept dense)";
            case ASVD -> "‖(W − W′) S‖ with ASVD's activation scaling S";
            case SVD_LLM, DUO_SVD -> "‖W X − W′ X‖ on calibration tokens";
            case SOCO -> "‖W X − W′ X‖ on calibration tokens, learned scores folded into W′";
            // ResSVD reports its first, whitened stage cut at the combined rank (none with the plain residual metric).
            case RESSVD -> "‖W X − W_k X‖ of the whitened cut at the combined rank k";
        };
    }
}
