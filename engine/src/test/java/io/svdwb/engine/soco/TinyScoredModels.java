package io.svdwb.engine.soco;

import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.PlainSvd;
import io.svdwb.engine.compress.kernels.WhitenedSvd;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.TinyCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A small random LLaMA (hidden 16, 2 layers, 4 query / 2 key-value heads, intermediate 24, vocabulary 32, untied
 * lm_head) and ways to turn its projections into {@link ScoredProjection}s, for the whole-model tests.
 */
final class TinyScoredModels {

    static final String CONFIG = """
            {"model_type":"llama","hidden_size":16,"intermediate_size":24,"num_hidden_layers":2,
             "num_attention_heads":4,"num_key_value_heads":2,"vocab_size":32,"max_position_embeddings":32,
             "tie_word_embeddings":false}""";

    /** Two sequences of six tokens. */
    static final int[][] BATCH = {{1, 5, 9, 30, 2, 17}, {4, 4, 23, 0, 31, 12}};

    private TinyScoredModels() {
    }

    static Checkpoint open(Path dir) throws IOException {
        return Checkpoint.open(TinyCheckpoint.write(dir, CONFIG));
    }

    /** The engine's float model on the checkpoint's own (dense) weights. */
    static LlamaModel dense(Checkpoint checkpoint) {
        return new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.KEEP);
    }

    /** Every projection exactly W in double: {@code U = W, sigma = 1, Vt' = I}, so no decomposition is involved. */
    static ScoredLlama denseInDouble(Checkpoint checkpoint) throws IOException {
        LlamaModel model = dense(checkpoint);
        return ScoredLlama.load(checkpoint, (layer, kind, bias) -> {
            INDArray w = model.loadDense(layer, kind).weight();
            int n = (int) w.columns();
            double[] ones = new double[n];
            java.util.Arrays.fill(ones, 1.0);
            return new ScoredProjection(w, ones, Nd4j.eye(n).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE), bias, LinearAlgebra.cpu());
        }, LinearAlgebra.cpu());
    }

    /** Full-rank plain SVD factors of every projection: with all scores 1 they reproduce W exactly. */
    static ScoredLlama fullRankSvd(Checkpoint checkpoint) throws IOException {
        LlamaModel model = dense(checkpoint);
        return ScoredLlama.load(checkpoint, (layer, kind, bias) -> {
            LowRankDecomposition d = PlainSvd.decompose(LinearAlgebra.cpu(), model.loadDense(layer, kind).weight(), kind.moduleName(layer));
            return ScoredProjection.of(d, d.fullRank(), bias, LinearAlgebra.cpu());
        }, LinearAlgebra.cpu());
    }

    /**
     * Whitened factors (§3.4) with a random well-conditioned lower-triangular S, so that Vt' = Vᵀ S⁻¹ is not
     * orthonormal, cut to the break-even rank r_cap = floor(mn / (m + n)) as SoCo's start point (§4.8 step 1).
     */
    static ScoredLlama whitenedAtBreakEven(Checkpoint checkpoint, long seed) throws IOException {
        LlamaModel model = dense(checkpoint);
        SplittableRandom random = new SplittableRandom(seed);
        return ScoredLlama.load(checkpoint, (layer, kind, bias) -> {
            INDArray w = model.loadDense(layer, kind).weight();
            int m = (int) w.rows();
            int n = (int) w.columns();
            LowRankDecomposition d = WhitenedSvd.decompose(LinearAlgebra.cpu(), w, randomLowerTriangular(n, random), kind.moduleName(layer));
            return ScoredProjection.of(d, (int) ((long) m * n / (m + n)), bias, LinearAlgebra.cpu());
        }, LinearAlgebra.cpu());
    }

    private static INDArray randomLowerTriangular(int n, SplittableRandom random) {
        double[] s = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                s[i * n + j] = 0.4 * (random.nextDouble() - 0.5);
            }
            s[i * n + i] = 0.5 + random.nextDouble();
        }
        return DoubleMatrices.of(s, n, n);
    }
}
