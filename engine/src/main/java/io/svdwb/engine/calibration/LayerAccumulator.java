package io.svdwb.engine.calibration;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.ProjectionInput;
import io.svdwb.engine.model.ProjectionInputListener;
import java.util.EnumMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Sums the statistics of one decoder layer's projection inputs over every batch the layer sees. Each float32
 * activation block is copied to double before anything is summed, so H is accumulated in double end to end
 * (docs/METHODS.md §6.1); the Gram goes through {@link LinearAlgebra#gram}, which is exactly symmetric, and a sum
 * of exactly symmetric matrices stays exactly symmetric.
 */
final class LayerAccumulator implements ProjectionInputListener {

    private static final class Sums {
        final INDArray gram;
        final double[] absSum;
        final double[] absMax;
        long tokens;

        Sums(int features) {
            gram = Nd4j.zeros(DataType.DOUBLE, features, features);
            absSum = new double[features];
            absMax = new double[features];
        }
    }

    private final int layer;
    private final LinearAlgebra linalg;
    private final Map<ProjectionInput, Sums> sums = new EnumMap<>(ProjectionInput.class);

    LayerAccumulator(int layer, LinearAlgebra linalg) {
        this.layer = layer;
        this.linalg = linalg;
    }

    @Override
    public void onInput(int layerIndex, ProjectionInput input, INDArray activations) {
        if (layerIndex != layer) {
            throw new IllegalStateException("statistics of layer " + layer + " were offered layer " + layerIndex);
        }
        int features = (int) activations.columns();
        Sums s = sums.computeIfAbsent(input, k -> new Sums(features));
        // The block is valid only during this call: the double copy is ours to keep working on.
        INDArray x = activations.castTo(DataType.DOUBLE).dup('c');
        s.gram.addi(linalg.gram(x.transpose()));
        s.tokens += x.rows();
        INDArray abs = Transforms.abs(x, false);
        double[] blockSum = abs.sum(0).toDoubleVector();
        double[] blockMax = abs.max(0).toDoubleVector();
        for (int j = 0; j < features; j++) {
            s.absSum[j] += blockSum[j];
            s.absMax[j] = Math.max(s.absMax[j], blockMax[j]);
        }
    }

    LayerStatistics result() {
        Map<ProjectionInput, InputStatistics> out = new EnumMap<>(ProjectionInput.class);
        for (Map.Entry<ProjectionInput, Sums> e : sums.entrySet()) {
            Sums s = e.getValue();
            out.put(e.getKey(), new InputStatistics(s.gram, s.tokens, s.absSum, s.absMax));
        }
        if (out.size() != ProjectionInput.values().length) {
            throw new IllegalStateException("layer " + layer + " showed only " + out.keySet() + " of its projection inputs");
        }
        return new LayerStatistics(layer, out);
    }
}
