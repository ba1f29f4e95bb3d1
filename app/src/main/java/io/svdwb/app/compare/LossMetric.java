package io.svdwb.app.compare;

import io.svdwb.engine.compress.method.MethodId;

/** Which norm each method's reported truncation loss is in (the method says), for the heat map's legend. */
final class LossMetric {

    private LossMetric() {
    }

    static String of(String method) {
        try {
            return MethodId.parse(method).method().lossMetric();
        } catch (IllegalArgumentException e) {
            return "in the method's own metric";
        }
    }
}
