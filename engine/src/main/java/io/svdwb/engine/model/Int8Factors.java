package io.svdwb.engine.model;

import io.svdwb.engine.compress.quant.Int8Rows;
import io.svdwb.engine.compress.quant.QuantizedFactors;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.safetensors.DType;
import io.svdwb.engine.safetensors.TensorStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The stored form of int8 factors (docs/METHODS.md §2.6, docs/EXPORT.md): {@code <module>.ALinear.weight} and
 * {@code <module>.BLinear.weight} as I8 codes, {@code <module>.ALinear.weight_scale} [out] and
 * {@code <module>.BLinear.weight_scale} [r] as F32. Checks the dtypes and reads them back into a
 * {@link LowRankLinear} that computes with the dequantised values.
 */
final class Int8Factors {

    private Int8Factors() {
    }

    /** Every int8 module is a factored, not column-preserving, module. */
    static void checkModules(Map<String, Integer> factoredRanks, Map<String, List<Integer>> keptColumns, Set<String> int8Modules) {
        for (String module : int8Modules) {
            if (!factoredRanks.containsKey(module)) {
                throw new IllegalArgumentException("int8 factors are listed for " + module + ", which has no rank (not a factored module)");
            }
            if (keptColumns.containsKey(module)) {
                throw new IllegalArgumentException("int8 factors are listed for " + module + ", a column-preserving module; only plain "
                        + "rank-r pairs are stored in int8");
            }
        }
    }

    /** Dtype mismatches: int8 codes that are not I8, scales that are not F32, and I8 tensors outside int8 factors. */
    static List<String> dtypeProblems(TensorStore store, Set<String> int8Modules) {
        List<String> problems = new ArrayList<>();
        Set<String> codes = new HashSet<>();
        for (String module : int8Modules) {
            codes.add(FactoredTensorNames.aWeight(module));
            codes.add(FactoredTensorNames.bWeight(module));
            for (String scale : List.of(FactoredTensorNames.aScale(module), FactoredTensorNames.bScale(module))) {
                if (store.contains(scale) && store.info(scale).dtype() != DType.F32) {
                    problems.add(scale + " is " + store.info(scale).dtype() + ", int8 row scales are F32");
                }
            }
        }
        for (String name : store.names()) {
            DType dtype = store.info(name).dtype();
            if (codes.contains(name) && dtype != DType.I8) {
                problems.add(name + " is " + dtype + ", but its module is listed as int8 (codes must be I8)");
            } else if (!codes.contains(name) && dtype == DType.I8) {
                problems.add(name + " is I8 but is not a factor of a module listed as int8");
            }
        }
        return problems;
    }

    /** The module's int8 pair, computing with {@code scale * code} in float32 (§2.6). */
    static LowRankLinear load(TensorStore store, String module, int out, int rank, int in, INDArray bias, LinearAlgebra linalg)
            throws IOException {
        Int8Rows a = rows(store, FactoredTensorNames.aWeight(module), FactoredTensorNames.aScale(module), out, rank);
        Int8Rows b = rows(store, FactoredTensorNames.bWeight(module), FactoredTensorNames.bScale(module), rank, in);
        return new LowRankLinear(new QuantizedFactors(a, b), bias, linalg);
    }

    private static Int8Rows rows(TensorStore store, String codesName, String scalesName, int rows, int cols) throws IOException {
        // the float path reads I8 as the integer values, exactly
        float[] values = store.readFloats(codesName);
        byte[] codes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            codes[i] = (byte) values[i];
        }
        try {
            return new Int8Rows(rows, cols, codes, store.readFloats(scalesName));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(codesName + ": " + e.getMessage(), e);
        }
    }
}
