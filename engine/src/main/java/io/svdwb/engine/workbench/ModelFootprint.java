package io.svdwb.engine.workbench;

import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.FactoredTensorNames;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.safetensors.TensorInfo;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a checkpoint holds, read once from its headers, so that a {@link RankPlan} for any ratio is pure
 * arithmetic: the compressible matrices, the parameter count, and the bytes of every tensor a compression
 * leaves as it is (embeddings, norms, lm_head, biases), in their stored dtype.
 *
 * @param matrices         every compressible matrix, layer by layer
 * @param totalParameters  all parameters of the model (a tied lm_head counted once)
 * @param untouchedBytes   bytes of the stored tensors that are not compressible weights
 * @param weightBytes      bytes of each compressible weight as stored (a matrix left out of a selection is
 *                         copied so into a factored checkpoint)
 */
public record ModelFootprint(List<MatrixSpec> matrices, long totalParameters, long untouchedBytes, Map<MatrixSpec, Long> weightBytes) {

    public ModelFootprint {
        matrices = List.copyOf(matrices);
        weightBytes = Collections.unmodifiableMap(new LinkedHashMap<>(weightBytes));
        if (matrices.isEmpty()) {
            throw new IllegalArgumentException("a model footprint needs at least one compressible matrix");
        }
        if (totalParameters < compressibleParameters(matrices) || untouchedBytes < 0) {
            throw new IllegalArgumentException("inconsistent footprint: " + totalParameters + " parameters, "
                    + untouchedBytes + " untouched bytes");
        }
        if (!weightBytes.keySet().equals(Set.copyOf(matrices))) {
            throw new IllegalArgumentException("inconsistent footprint: stored sizes are given for other matrices than the compressible ones");
        }
    }

    /** Reads headers only; nothing is loaded. */
    public static ModelFootprint of(Checkpoint checkpoint) {
        List<MatrixSpec> matrices = checkpoint.matrices();
        Set<String> compressible = new HashSet<>();
        Map<MatrixSpec, Long> weightBytes = new LinkedHashMap<>();
        for (MatrixSpec m : matrices) {
            // A factored export stores a compressed matrix as its factors: those are what it weighs.
            List<String> stored = storedTensors(checkpoint, m);
            long sum = 0;
            for (String name : stored) {
                compressible.add(name);
                sum = Math.addExact(sum, bytes(checkpoint.store().info(name)));
            }
            weightBytes.put(m, sum);
        }
        long untouched = 0;
        for (String name : checkpoint.store().names()) {
            if (!compressible.contains(name)) {
                untouched = Math.addExact(untouched, bytes(checkpoint.store().info(name)));
            }
        }
        // Counted as the architecture's dense model: a factored export's factors hold fewer numbers than its matrices,
        // and a plan over it compresses those matrices anew.
        long total = checkpoint.totalParameters();
        for (MatrixSpec m : matrices) {
            for (String name : storedTensors(checkpoint, m)) {
                if (!name.equals(m.tensorName())) {
                    total -= checkpoint.store().info(name).elementCount();
                }
            }
            if (!storedTensors(checkpoint, m).contains(m.tensorName())) {
                total += m.parameters();
            }
        }
        return new ModelFootprint(matrices, total, untouched, weightBytes);
    }

    /** The tensors a matrix is stored in: its weight, or in a factored checkpoint its A, B (and C) factors. */
    private static List<String> storedTensors(Checkpoint checkpoint, MatrixSpec m) {
        String module = m.kind().moduleName(m.layer());
        if (!checkpoint.factoredRanks().containsKey(module)) {
            return List.of(m.tensorName());
        }
        List<String> names = new java.util.ArrayList<>(List.of(FactoredTensorNames.aWeight(module), FactoredTensorNames.bWeight(module)));
        if (checkpoint.store().contains(FactoredTensorNames.cWeight(module))) {
            names.add(FactoredTensorNames.cWeight(module));
        }
        return names;
    }

    private static long bytes(TensorInfo info) {
        return Math.multiplyExact(info.elementCount(), info.dtype().byteSize());
    }

    /** {@code P_orig}: the sum of m·n over the compressible matrices. */
    public long compressibleParameters() {
        return compressibleParameters(matrices);
    }

    private static long compressibleParameters(List<MatrixSpec> matrices) {
        long sum = 0;
        for (MatrixSpec m : matrices) {
            sum = Math.addExact(sum, m.parameters());
        }
        return sum;
    }
}
