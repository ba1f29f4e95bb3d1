package io.svdwb.engine.compress.search;

import io.svdwb.engine.model.MatrixSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A per-matrix kept ratio (1.0 = keep dense) keyed by module name, in the matrices' order. */
final class KeptRatios {

    private KeptRatios() {
    }

    static Map<String, Double> byModule(List<MatrixSpec> matrices, double[] keptRatios) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int j = 0; j < matrices.size(); j++) {
            out.put(matrices.get(j).kind().moduleName(matrices.get(j).layer()), keptRatios[j]);
        }
        return out;
    }
}
