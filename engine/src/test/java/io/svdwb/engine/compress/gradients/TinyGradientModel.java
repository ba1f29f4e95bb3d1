package io.svdwb.engine.compress.gradients;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.model.TinyCheckpoint;
import io.svdwb.engine.soco.ScoredLlama;
import io.svdwb.engine.soco.ScoredProjection;
import java.io.IOException;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A small random LLaMA (hidden 16, 2 layers, 4 query / 2 key-value heads, intermediate 24, vocabulary 32, untied
 * lm_head, uniform weights in [-0.5, 0.5)) and its cross-entropy with one projection's W replaced, in double: the
 * finite-difference side of the gradient tests. It uses the forward of {@link ScoredLlama} only, never its backward.
 */
final class TinyGradientModel {

    static final String CONFIG = """
            {"model_type":"llama","hidden_size":16,"intermediate_size":24,"num_hidden_layers":2,
             "num_attention_heads":4,"num_key_value_heads":2,"vocab_size":32,"max_position_embeddings":32,
             "tie_word_embeddings":false}""";

    /** Four windows of seven tokens. */
    static final int[][] WINDOWS = {{1, 5, 9, 30, 2, 17, 8}, {4, 4, 23, 0, 31, 12, 6}, {7, 19, 3, 3, 28, 11, 25},
            {13, 2, 26, 14, 9, 0, 21}};

    final Checkpoint checkpoint;
    final LlamaModel weights;

    private TinyGradientModel(Checkpoint checkpoint) {
        this.checkpoint = checkpoint;
        this.weights = new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.KEEP);
    }

    static TinyGradientModel open(Path dir) throws IOException {
        return new TinyGradientModel(Checkpoint.open(TinyCheckpoint.write(dir, CONFIG)));
    }

    /** W of one projection as a new DOUBLE array. */
    INDArray weight(int layer, ProjectionKind kind) throws IOException {
        return weights.loadDense(layer, kind).weight().castTo(DataType.DOUBLE).dup('c');
    }

    /** The mean next-token cross-entropy on {@code batch} with {@code replacement} (DOUBLE) as W of (layer, kind). */
    double crossEntropy(int layer, ProjectionKind kind, INDArray replacement, int[][] batch) throws IOException {
        ScoredLlama model = ScoredLlama.load(checkpoint, (l, k, bias) -> ScoredProjection.dense(
                l == layer && k == kind ? replacement : weights.loadDense(l, k).weight(), bias, LinearAlgebra.cpu()),
                LinearAlgebra.cpu());
        return model.crossEntropy(batch);
    }

    static int[][] batch(int from, int to) {
        return java.util.Arrays.copyOfRange(WINDOWS, from, to);
    }
}
