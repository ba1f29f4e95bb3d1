package io.svdwb.engine.compress.swift;

import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.ProjectionInputListener;
import io.svdwb.engine.progress.ProgressListener;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Swift-SVD's layer importance (docs/METHODS.md §4.10): ShortGPT's Block Influence, the mean over tokens of
 * {@code 1 - cos(h_in, h_out)} between a decoder layer's input and output residual streams on the uncompressed model
 * (hiahei/Swift-SVD {@code llm-layer-importance/calculate_layer_importance.py}, cosine, not angular). A token whose
 * stream has zero norm counts cosine 0.5, the repository's {@code nan_to_num(nan=0.5)}.
 *
 * <p>Layer-major: each layer is read once for all batches (a streamed model reads it once per pass); the input of each
 * batch is copied just before the layer runs on it, so one batch's copy is the only extra memory.
 */
public final class BlockInfluence {

    private BlockInfluence() {
    }

    /**
     * The importance of layers {@code 0 .. layers-1}.
     *
     * @param windows   token windows of one length
     * @param batchSize windows per forward batch
     */
    public static double[] measure(LlamaModel model, int[][] windows, int batchSize, int layers, ProgressListener progress) {
        if (windows.length == 0 || batchSize < 1 || layers < 1 || layers > model.config().numLayers()) {
            throw new IllegalArgumentException("block influence needs windows, a batch size >= 1 and 1 to "
                    + model.config().numLayers() + " layers; got " + windows.length + " windows, batch " + batchSize
                    + ", " + layers + " layers");
        }
        int seqLen = windows[0].length;
        int width = model.config().hiddenSize();
        List<float[]> streams = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (int from = 0; from < windows.length; from += batchSize) {
            int[][] batch = Arrays.copyOfRange(windows, from, Math.min(windows.length, from + batchSize));
            streams.add(model.embed(batch));
            sizes.add(batch.length);
        }
        int[] sequencesPerBatch = sizes.stream().mapToInt(Integer::intValue).toArray();
        double[] influence = new double[layers];
        progress.begin("Swift-SVD: block influence of " + layers + " layers", (long) layers * streams.size());
        try {
            for (int layer = 0; layer < layers; layer++) {
                Accumulating view = new Accumulating(streams, width);
                model.runLayer(layer, view, sequencesPerBatch, seqLen, ProjectionInputListener.NONE, progress,
                        (long) layer * streams.size());
                influence[layer] = view.sum / view.tokens;
            }
        } finally {
            progress.end();
        }
        return influence;
    }

    /** Σ over the rows (tokens) of {@code 1 - cos(before_t, after_t)}; rows of {@code width} floats. */
    public static double sumOneMinusCosine(float[] before, float[] after, int width) {
        if (before.length != after.length || width < 1 || before.length % width != 0) {
            throw new IllegalArgumentException("streams of " + before.length + " and " + after.length
                    + " floats are not rows of width " + width);
        }
        double sum = 0;
        for (int at = 0; at < before.length; at += width) {
            double dot = 0;
            double nb = 0;
            double na = 0;
            for (int j = at; j < at + width; j++) {
                dot += (double) before[j] * after[j];
                nb += (double) before[j] * before[j];
                na += (double) after[j] * after[j];
            }
            double denominator = Math.sqrt(nb) * Math.sqrt(na);
            sum += 1 - (denominator > 0 ? dot / denominator : 0.5);
        }
        return sum;
    }

    /**
     * The streams as {@link LlamaModel#runLayer} reads them (get, run in place, set): get keeps a copy of the input,
     * set compares it with the output.
     */
    private static final class Accumulating extends AbstractList<float[]> {
        private final List<float[]> streams;
        private final int width;
        private float[] before;
        private double sum;
        private long tokens;

        Accumulating(List<float[]> streams, int width) {
            this.streams = streams;
            this.width = width;
        }

        @Override
        public float[] get(int index) {
            float[] stream = streams.get(index);
            before = stream.clone();
            return stream;
        }

        @Override
        public float[] set(int index, float[] stream) {
            sum += sumOneMinusCosine(before, stream, width);
            tokens += stream.length / width;
            before = null;
            return streams.set(index, stream);
        }

        @Override
        public int size() {
            return streams.size();
        }
    }
}
