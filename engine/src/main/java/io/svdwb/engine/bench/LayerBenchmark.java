package io.svdwb.engine.bench;

import io.svdwb.engine.model.LlamaModel;
import java.util.SplittableRandom;

/**
 * Runs one decoder layer of a checkpoint on random hidden states, loading only that layer's weights
 * from the memory map, and reports the time and the process's peak resident memory: the proof that a
 * model larger than memory is processed one layer at a time. The layer runs twice, each time loaded
 * afresh (streaming residency): cold (pages read from disk) and warm (pages in the OS cache).
 */
public final class LayerBenchmark {

    public record Result(int layer, int tokens, double coldSeconds, double warmSeconds,
                         long peakResidentBytes, long checkpointBytes, boolean outputFinite) {
    }

    private final LlamaModel model;

    public LayerBenchmark(LlamaModel model) {
        if (model == null) {
            throw new IllegalArgumentException("model is required");
        }
        this.model = model;
    }

    public Result run(int layer, int tokens, long checkpointBytes) {
        if (layer < 0 || layer >= model.config().numLayers()) {
            throw new IllegalArgumentException("layer " + layer + " is out of range 0.." + (model.config().numLayers() - 1));
        }
        if (tokens < 1 || tokens > model.config().maxPositionEmbeddings()) {
            throw new IllegalArgumentException("tokens must be in 1.." + model.config().maxPositionEmbeddings());
        }
        int width = model.config().hiddenSize();
        float[] hidden = new float[tokens * width];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = (float) random.nextGaussian();
        }
        long start = System.nanoTime();
        model.runLayers(hidden, 1, tokens, layer, layer + 1);
        double cold = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        model.runLayers(hidden, 1, tokens, layer, layer + 1);
        double warm = (System.nanoTime() - start) / 1e9;
        boolean finite = true;
        for (float v : hidden) {
            finite &= Float.isFinite(v);
        }
        return new Result(layer, tokens, cold, warm, io.svdwb.engine.memory.ResidentMemory.peakBytes(), checkpointBytes, finite);
    }
}
