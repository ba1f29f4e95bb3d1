package io.svdwb.app.session;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Session files v1-v3 stored one record of every method's knobs; v4 stores the chosen method's own options by name. This
 * reads the old record and names its values as the methods' options do, so an old session opens with its knobs.
 */
record LegacyOptions(Whitening whitening, double asvdAlpha, boolean asvdRankSearch, double ressvdBeta, String ressvdMetric,
                     int ressvdLayers, double ressvdMaxLayerRatio, boolean duoAllocation, boolean duoColumnPreserving,
                     int probeSamples, int probeLength, long probeSeed) {

    record Whitening(double initialRelativeRidge, List<String> fallbacks, double dampingFraction, double eigenShiftFloor) {
    }

    /** The values under the options' names; a method takes the ones it declares. */
    Map<String, String> asSettings() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("whitening", preset(whitening));
        out.put("asvd-alpha", Double.toString(asvdAlpha));
        out.put("asvd-ranks", asvdRankSearch ? "search" : "uniform");
        out.put("ressvd-beta", Double.toString(ressvdBeta));
        out.put("ressvd-metric", ressvdMetric == null ? "whitened" : ressvdMetric.toLowerCase(Locale.ROOT));
        out.put("ressvd-layers", Integer.toString(ressvdLayers));
        out.put("ressvd-max-layer-ratio", Double.toString(ressvdMaxLayerRatio));
        out.put("duo-allocation", duoAllocation ? "kl" : "uniform");
        out.put("duo-columns", duoColumnPreserving ? "on" : "off");
        out.put("probe-samples", Integer.toString(probeSamples));
        out.put("probe-length", Integer.toString(probeLength));
        out.put("probe-seed", Long.toString(probeSeed));
        return out;
    }

    /** The workbench only ever wrote the three presets; the eigenvalue shift is SVD-LLM's, a ridge is ours. */
    private static String preset(Whitening w) {
        if (w == null) {
            return "default";
        }
        if (w.fallbacks() != null && w.fallbacks().stream().anyMatch(f -> f.equalsIgnoreCase("eigen_shift"))) {
            return "svd-llm";
        }
        return w.initialRelativeRidge() > 0 ? "default" : "duo-svd";
    }
}
