package io.svdwb.engine.export;

import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LowRankLinear;
import io.svdwb.engine.model.MatrixSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameter accounting of methods.md §2.2 for a set of replacements: every compressible matrix counts
 * m·n in P_orig; in P_kept it counts what its replacement stores (r(m+n) for a factorisation) or m·n when
 * it is left alone. Biases are not counted in either.
 *
 * @param ranks module name to rank, for the low-rank replacements, in layer and projection order
 */
public record CompressionAccounting(long originalParameters, long keptParameters, long modelParameters,
                                    Map<String, Integer> ranks) {

    public static CompressionAccounting of(Checkpoint source, Map<String, ? extends Linear> replacements) {
        long original = 0;
        long kept = 0;
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (MatrixSpec spec : source.matrices()) {
            String module = spec.kind().moduleName(spec.layer());
            Linear replacement = replacements.get(module);
            original += spec.parameters();
            kept += replacement == null ? spec.parameters() : replacement.storedWeightParameters();
            if (replacement instanceof LowRankLinear lowRank) {
                ranks.put(module, lowRank.rank());
            }
        }
        return new CompressionAccounting(original, kept, source.totalParameters(), ranks);
    }

    /** c_eff = 1 - P_kept / P_orig, the reported compression ratio. */
    public double compressibleRatio() {
        return 1.0 - (double) keptParameters / originalParameters;
    }

    /** c_model = (P_orig - P_kept) / all parameters of the model. */
    public double modelRatio() {
        return (double) (originalParameters - keptParameters) / modelParameters;
    }
}
