package io.svdwb.engine.calibration;

import io.svdwb.engine.model.DecoderLayer;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.progress.ProgressListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the uncompressed model over the calibration windows one decoder layer at a time and hands each layer's
 * {@link LayerStatistics} to a sink (docs/METHODS.md §3.2, "original-activation whitening"): all windows are embedded
 * first, then every batch goes through layer 0 while its inputs are summed, the outputs are kept, then layer 1,
 * and so on. Only one layer's weights are needed at a time, so a model built with
 * {@link LlamaModel.Residency#STREAM} calibrates in little more memory than the hidden states of all windows, or of one
 * batch when the streams are kept on disk ({@link SpilledStreams}, given here as the list of streams).
 *
 * <p>FWSVD's true Fisher weights (§4.2) are squared gradients of the loss with respect to the weights, which this
 * forward-only pass does not produce; the {@code fwsvd} method uses the diagonal of H (Σ x_j²) from here as a
 * named approximation of them ({@code DecompositionRecipe.FisherDiagonal}).
 */
public final class CalibrationStatistics {

    /** Receives each layer's statistics as soon as the layer is done, e.g. to write them to the cache. */
    @FunctionalInterface
    public interface LayerSink {
        void accept(LayerStatistics statistics) throws IOException;
    }

    private CalibrationStatistics() {
    }

    /** The progress phase name; one unit per (layer, batch). */
    public static final String PHASE = "Collecting calibration statistics";

    public static void collect(LlamaModel model, int[][] windows, int windowsPerBatch, ProgressListener progress,
            LayerSink sink) throws IOException {
        collect(model, batchSizes(windows.length, windowsPerBatch), windows[0].length,
                () -> embed(model, windows, windowsPerBatch, progress).hidden(), 0, model.config().numLayers(), progress, sink,
                (layer, hidden) -> { });
    }

    /**
     * Receives each layer's statistics while the layer's weights are still loaded (a streamed model releases them
     * right after): for work that needs both and should not read the weights again. The layer must not be kept.
     */
    @FunctionalInterface
    public interface LoadedLayerSink {
        void accept(LayerStatistics statistics, DecoderLayer layer) throws IOException;
    }

    /** Receives the residual streams after each layer, e.g. to store them so a stopped run can resume. */
    @FunctionalInterface
    public interface StreamsSink {
        void accept(int layer, List<float[]> hidden) throws IOException;
    }

    /** The calibration windows cut into batches, with each batch's residual stream. */
    public record Batches(List<float[]> hidden, int[] sizes, int seqLen) {
    }

    /** Cuts the windows into batches of {@code windowsPerBatch} and embeds them. */
    public static Batches embed(LlamaModel model, int[][] windows, int windowsPerBatch, ProgressListener progress) {
        List<float[]> hidden = new ArrayList<>();
        embed(model, windows, windowsPerBatch, progress, (stream, b) -> hidden.add(stream));
        return new Batches(hidden, batchSizes(windows.length, windowsPerBatch), windows[0].length);
    }

    /** Cuts the windows into batches of {@code windowsPerBatch} and hands each batch's embedding to {@code sink}, in order. */
    static void embed(LlamaModel model, int[][] windows, int windowsPerBatch, ProgressListener progress,
            java.util.function.ObjIntConsumer<float[]> sink) {
        List<int[][]> batches = split(windows, windowsPerBatch);
        for (int b = 0; b < batches.size(); b++) {
            progress.throwIfCancelled();
            sink.accept(model.embed(batches.get(b)), b);
        }
    }

    /** The batch sizes {@link #embed} gives, without embedding anything (to check a stored checkpoint against). */
    public static int[] batchSizes(int windows, int windowsPerBatch) {
        int[] sizes = new int[(windows + windowsPerBatch - 1) / windowsPerBatch];
        for (int b = 0; b < sizes.length; b++) {
            sizes[b] = Math.min(windowsPerBatch, windows - b * windowsPerBatch);
        }
        return sizes;
    }

    /**
     * Runs decoder layers {@code from} (inclusive) to {@code to} (exclusive) on the batches' residual streams, which
     * must be those entering layer {@code from}; each layer's statistics go to {@code sink}, then the streams leaving it
     * to {@code afterLayer}. Progress is one unit per (layer, batch) up to layer {@code to}.
     */
    public static void collect(LlamaModel model, Batches batches, int from, int to, ProgressListener progress, LayerSink sink,
            StreamsSink afterLayer) throws IOException {
        collect(model, batches.sizes(), batches.seqLen(), batches::hidden, from, to, progress, sink, afterLayer);
    }

    /**
     * As {@link #collect(LlamaModel, Batches, int, int, ProgressListener, LayerSink, StreamsSink)}, with the residual
     * streams entering layer {@code from} made by {@code streams} once the phase has begun (embedding is part of the
     * phase: a failure or a stop there is reported as calibration's).
     */
    public static void collect(LlamaModel model, int[] sizes, int seqLen, java.util.function.Supplier<List<float[]>> streams,
            int from, int to, ProgressListener progress, LayerSink sink, StreamsSink afterLayer) throws IOException {
        collect(model, sizes, seqLen, streams, from, to, progress, sink, null, afterLayer);
    }

    /**
     * As {@link #collect(LlamaModel, int[], int, java.util.function.Supplier, int, int, ProgressListener, LayerSink,
     * StreamsSink)}, each layer's statistics going to {@code whileLoaded} together with the layer as it ran.
     */
    public static void collect(LlamaModel model, int[] sizes, int seqLen, java.util.function.Supplier<List<float[]>> streams,
            int from, int to, ProgressListener progress, LoadedLayerSink whileLoaded, StreamsSink afterLayer) throws IOException {
        collect(model, sizes, seqLen, streams, from, to, progress, null, whileLoaded, afterLayer);
    }

    private static void collect(LlamaModel model, int[] sizes, int seqLen, java.util.function.Supplier<List<float[]>> streams,
            int from, int to, ProgressListener progress, LayerSink sink, LoadedLayerSink whileLoaded, StreamsSink afterLayer)
            throws IOException {
        int count = sizes.length;
        // the phase ends at layer `to`: a compression of layer 0 of a 32-layer model shows (and times) one layer
        progress.begin(PHASE, (long) to * count);
        progress.advanceTo((long) from * count);
        Batches batches = new Batches(streams.get(), sizes, seqLen);
        try {
            runLayers(model, batches, from, to, progress, sink, whileLoaded, afterLayer);
        } finally {
            model.freeReusableWeights(); // a pass that stops before the last layer leaves its last one's weights
        }
        progress.end();
    }

    private static void runLayers(LlamaModel model, Batches batches, int from, int to, ProgressListener progress,
            LayerSink sink, LoadedLayerSink whileLoaded, StreamsSink afterLayer) throws IOException {
        int count = batches.sizes().length;
        for (int layer = from; layer < to; layer++) {
            // on a backend that keeps statistics on its device, the Grams stay there for the whole layer
            StatisticsAccumulator onDevice = model.linearAlgebra() instanceof StatisticsOnDevice device ? device.accumulator(layer) : null;
            StatisticsAccumulator accumulator = onDevice != null ? onDevice : new LayerAccumulator(layer, model.linearAlgebra());
            // runLayer reads the layer once for every batch and updates each residual stream in place: it becomes the
            // next layer's input.
            if (whileLoaded == null) {
                model.runLayer(layer, batches.hidden(), batches.sizes(), batches.seqLen(), accumulator, progress, (long) layer * count);
                // after the release: a sink storing 1.4 GB of LLaMA-7B Grams must not also hold the layer's weights
                model.freeReusableWeights();
                sink.accept(accumulator.result());
            } else {
                try {
                    model.runLayer(layer, batches.hidden(), batches.sizes(), batches.seqLen(), accumulator, progress,
                            (long) layer * count, ran -> {
                                try {
                                    whileLoaded.accept(accumulator.result(), ran);
                                } catch (IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                            });
                } catch (java.io.UncheckedIOException e) {
                    throw e.getCause();
                }
            }
            afterLayer.accept(layer, batches.hidden());
        }
    }

    /** Collects every layer in memory: convenient for small models and tests. */
    public static List<LayerStatistics> collect(LlamaModel model, int[][] windows, int windowsPerBatch, ProgressListener progress)
            throws IOException {
        List<LayerStatistics> out = new ArrayList<>();
        collect(model, windows, windowsPerBatch, progress, out::add);
        return out;
    }

    private static List<int[][]> split(int[][] windows, int perBatch) {
        if (windows.length == 0) {
            throw new IllegalArgumentException("no calibration windows");
        }
        List<int[][]> batches = new ArrayList<>();
        for (int start = 0; start < windows.length; start += perBatch) {
            batches.add(Arrays.copyOfRange(windows, start, Math.min(windows.length, start + perBatch)));
        }
        return batches;
    }
}
