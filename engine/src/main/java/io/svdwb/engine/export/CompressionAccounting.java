package io.svdwb.engine.export;

import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.ColumnPreservingLinear;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LowRankLinear;
import io.svdwb.engine.model.SpilledLowRankLinear;
import io.svdwb.engine.model.MatrixSpec;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameter accounting of docs/METHODS.md §2.2 for a set of replacements: every compressible matrix counts
 * m·n in P_orig; in P_kept it counts what its replacement stores (r(m+n) for a factorisation,
 * kc(m+n-q)+mq for a column-preserving one, §2.4) or m·n when it is left alone. Biases are not counted in
 * either, nor are the kept-column index lists.
 *
 * @param ranks       module name to rank, for the low-rank and column-preserving replacements (kc for the
 *                    latter), in layer and projection order
 * @param keptColumns module name to its kept input columns (ascending), for the column-preserving replacements
 */
public record CompressionAccounting(long originalParameters, long keptParameters, long modelParameters,
                                    Map<String, Integer> ranks, Map<String, List<Integer>> keptColumns) {

    public static CompressionAccounting of(Checkpoint source, Map<String, ? extends Linear> replacements) {
        long original = 0;
        long kept = 0;
        Map<String, Integer> ranks = new LinkedHashMap<>();
        Map<String, List<Integer>> keptColumns = new LinkedHashMap<>();
        for (MatrixSpec spec : source.matrices()) {
            String module = spec.kind().moduleName(spec.layer());
            Linear replacement = replacements.get(module);
            original += spec.parameters();
            kept += replacement == null ? spec.parameters() : replacement.storedWeightParameters();
            if (replacement instanceof LowRankLinear lowRank) {
                ranks.put(module, lowRank.rank());
            } else if (replacement instanceof SpilledLowRankLinear spilled) {
                ranks.put(module, spilled.rank());
            } else if (replacement instanceof ColumnPreservingLinear columnPreserving) {
                ranks.put(module, columnPreserving.rank());
                keptColumns.put(module, Arrays.stream(columnPreserving.keptColumns()).boxed().toList());
            }
        }
        return new CompressionAccounting(original, kept, source.totalParameters(), Collections.unmodifiableMap(ranks),
                Collections.unmodifiableMap(keptColumns));
    }

    /**
     * Bits the compressible matrices keep (docs/METHODS.md §2.6): {@code baselineBits} per dense weight or float factor
     * number, and for an int8 pair 8 bits per code plus 32 per row scale.
     */
    public static long keptBits(Checkpoint source, Map<String, ? extends Linear> replacements, int baselineBits) {
        long bits = 0;
        for (MatrixSpec spec : source.matrices()) {
            Linear replacement = replacements.get(spec.kind().moduleName(spec.layer()));
            if (replacement instanceof LowRankLinear lowRank && lowRank.quantized() != null) {
                io.svdwb.engine.compress.quant.QuantizedFactors q = lowRank.quantized();
                bits += io.svdwb.engine.compress.quant.FactorStorage.CODE_BITS * lowRank.storedWeightParameters()
                        + io.svdwb.engine.compress.quant.FactorStorage.SCALE_BITS * q.scaleCount();
            } else {
                bits += (replacement == null ? spec.parameters() : replacement.storedWeightParameters()) * baselineBits;
            }
        }
        return bits;
    }

    /** Module names whose replacement holds int8 factors (§2.6), in layer and projection order. */
    public static List<String> int8Modules(Checkpoint source, Map<String, ? extends Linear> replacements) {
        List<String> modules = new java.util.ArrayList<>();
        for (MatrixSpec spec : source.matrices()) {
            String module = spec.kind().moduleName(spec.layer());
            if (replacements.get(module) instanceof LowRankLinear lowRank && lowRank.quantized() != null) {
                modules.add(module);
            }
        }
        return List.copyOf(modules);
    }

    /** Module name to the number q of kept columns, for the column-preserving replacements. */
    public Map<String, Integer> keptColumnCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        keptColumns.forEach((module, columns) -> counts.put(module, columns.size()));
        return Collections.unmodifiableMap(counts);
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
