package io.svdwb.engine.calibration;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.ProjectionInput;
import io.svdwb.engine.model.ProjectionInputListener;
import io.svdwb.engine.progress.StageClock;
import java.util.EnumMap;
import java.util.Map;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sums the statistics of one decoder layer's projection inputs over every batch the layer sees. Each float32
 * activation block is copied to double before anything is summed, so H is accumulated in double end to end
 * (docs/METHODS.md §6.1). The Gram is summed into one lower triangle by syrk ({@link LinearAlgebra#addGramLower}) and
 * mirrored once at the end, so it is exactly symmetric and costs one features x features array per input, not one
 * per batch.
 */
final class LayerAccumulator implements StatisticsAccumulator {

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
        // The block is valid only during this call: the double copy is ours to keep working on. The accumulators'
        // allocation (0.97 GB zeroed for an MLP input), the copy and the absolute statistics are timed as GRAM work
        // (statistics accumulation), beside the syrk that times itself, as the PyTorch side of bench-vs-pytorch counts them.
        long start = System.nanoTime();
        Sums s = sums.computeIfAbsent(input, k -> new Sums(features));
        INDArray cast = activations.castTo(DataType.DOUBLE);
        INDArray x = cast.ordering() == 'c' && !cast.isView() ? cast : cast.dup('c');
        StageClock.add(StageClock.Stage.GRAM, start);
        try {
            linalg.addGramLower(x.transpose(), s.gram);
            start = System.nanoTime();
            addAbsoluteStatistics(x, s);
            StageClock.add(StageClock.Stage.GRAM, start);
        } finally {
            x.close();
            if (cast != x) {
                cast.close();
            }
        }
        s.tokens += activations.rows();
    }

    /** Features per parallel task: contiguous within each row, so every task streams through memory row by row. */
    private static final int FEATURE_SLICE = 512;

    /**
     * Σ|x_j| and max|x_j| per feature of a dense row-major double block, without temporaries. Tasks split the
     * features, not the rows, so every sum still adds the rows in order: the result does not depend on the cores.
     */
    private static void addAbsoluteStatistics(INDArray block, Sums s) {
        DoubleIndexer values = (DoubleIndexer) block.data().indexer();
        long rows = block.rows();
        int features = (int) block.columns();
        java.util.stream.IntStream.range(0, (features + FEATURE_SLICE - 1) / FEATURE_SLICE).parallel().forEach(slice -> {
            int from = slice * FEATURE_SLICE;
            int to = Math.min(features, from + FEATURE_SLICE);
            for (long r = 0; r < rows; r++) {
                long base = r * features;
                for (int j = from; j < to; j++) {
                    double a = Math.abs(values.get(base + j));
                    s.absSum[j] += a;
                    if (a > s.absMax[j]) {
                        s.absMax[j] = a;
                    }
                }
            }
        });
    }

    @Override
    public LayerStatistics result() {
        Map<ProjectionInput, InputStatistics> out = new EnumMap<>(ProjectionInput.class);
        for (Map.Entry<ProjectionInput, Sums> e : sums.entrySet()) {
            Sums s = e.getValue();
            long start = System.nanoTime();
            LinearAlgebra.mirrorLowerToUpper(s.gram);
            StageClock.add(StageClock.Stage.GRAM, start);
            out.put(e.getKey(), new InputStatistics(s.gram, s.tokens, s.absSum, s.absMax));
        }
        if (out.size() != ProjectionInput.values().length) {
            throw new IllegalStateException("layer " + layer + " showed only " + out.keySet() + " of its projection inputs");
        }
        return new LayerStatistics(layer, out);
    }
}
