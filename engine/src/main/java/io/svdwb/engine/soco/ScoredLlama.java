package io.svdwb.engine.soco;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.model.ProjectionKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The SoCo student (docs/METHODS.md §4.8): the LLaMA forward pass of {@link io.svdwb.engine.model.LlamaModel} in
 * double with every decoder projection a {@link ScoredProjection}, and a hand-written backward that yields the
 * gradient of {@code L_kd = mean_t KL(teacher_t || student_t)} with respect to every score. Embeddings, norms,
 * lm_head and the factors are frozen, so only activation gradients and score gradients are computed.
 */
public final class ScoredLlama {

    /** Builds the scored projection of one module; {@code bias} is the checkpoint's bias, or null. */
    @FunctionalInterface
    public interface ProjectionSource {
        ScoredProjection projection(int layer, ProjectionKind kind, double[] bias) throws IOException;
    }

    private final ModelConfig config;
    private final double[] embedding;
    private final double[] finalNorm;
    private final INDArray lmHead;
    private final List<ScoredDecoderLayer> layers;
    private final LinearAlgebra linalg;

    private ScoredLlama(ModelConfig config, double[] embedding, double[] finalNorm, double[] lmHead,
                        List<ScoredDecoderLayer> layers, LinearAlgebra linalg) {
        this.config = config;
        this.embedding = embedding;
        this.finalNorm = finalNorm;
        this.lmHead = DoubleMatrices.of(lmHead, config.vocabSize(), config.hiddenSize());
        this.layers = List.copyOf(layers);
        this.linalg = linalg;
    }

    /** Reads the frozen tensors of {@code checkpoint} (in double) and asks {@code source} for every projection. */
    public static ScoredLlama load(Checkpoint checkpoint, ProjectionSource source, LinearAlgebra linalg) throws IOException {
        ModelConfig config = checkpoint.config();
        if (config.hasQueryKeyNorm()) {
            // the double-precision forward and backward here have no q_norm/k_norm (and its gradient) yet
            throw new IllegalArgumentException("SoCo does not support model_type " + config.modelType()
                    + " (per-head q_norm/k_norm) yet; the other methods do");
        }
        List<ScoredDecoderLayer> layers = new ArrayList<>();
        for (int layer = 0; layer < config.numLayers(); layer++) {
            String prefix = "model.layers." + layer + ".";
            Map<ProjectionKind, ScoredProjection> projections = new EnumMap<>(ProjectionKind.class);
            for (ProjectionKind kind : ProjectionKind.values()) {
                double[] bias = kind.hasBias(config) ? read(checkpoint, kind.biasName(layer)) : null;
                projections.put(kind, source.projection(layer, kind, bias));
            }
            layers.add(new ScoredDecoderLayer(config, read(checkpoint, prefix + "input_layernorm.weight"),
                    read(checkpoint, prefix + "post_attention_layernorm.weight"), projections, linalg));
        }
        return new ScoredLlama(config, read(checkpoint, Checkpoint.EMBED), read(checkpoint, Checkpoint.FINAL_NORM),
                read(checkpoint, checkpoint.lmHeadTensor()), layers, linalg);
    }

    private static double[] read(Checkpoint checkpoint, String tensor) throws IOException {
        float[] values = checkpoint.store().readFloats(tensor);
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    public ModelConfig config() {
        return config;
    }

    public ScoredProjection projection(int layer, ProjectionKind kind) {
        return layers.get(layer).projection(kind);
    }

    /** Clears the accumulated score gradients of every projection. */
    public void zeroGradients() {
        for (ScoredDecoderLayer layer : layers) {
            for (ProjectionKind kind : ProjectionKind.values()) {
                layer.projection(kind).zeroGradient();
            }
        }
    }

    /** The student's logits [sequences * seqLen, vocab] for equal-length token sequences. */
    public double[] logits(int[][] sequences) {
        return run(sequences).logits();
    }

    /** {@code L_kd} without gradients; {@code teacherLogProbs} [sequences * seqLen, vocab] as from {@link NextTokenKl#logSoftmax}. */
    public double loss(int[][] sequences, double[] teacherLogProbs) {
        Run run = run(sequences);
        return NextTokenKl.loss(teacherLogProbs, logProbs(run), run.rows());
    }

    /**
     * {@code L_kd}, adding {@code dL_kd/dtheta} to every projection's {@link ScoredProjection#scoreGradient()}
     * (call {@link #zeroGradients()} first for a fresh gradient).
     */
    public double lossAndGradient(int[][] sequences, double[] teacherLogProbs) {
        Run run = run(sequences);
        requireLength(teacherLogProbs, run.rows());
        double[] studentLogProbs = logProbs(run);
        backward(run, sequences, NextTokenKl.logitGradient(teacherLogProbs, studentLogProbs, run.rows()));
        return NextTokenKl.loss(teacherLogProbs, studentLogProbs, run.rows());
    }

    /** The mean next-token cross-entropy against the sequences' own tokens ({@link NextTokenCrossEntropy}), no gradients. */
    public double crossEntropy(int[][] sequences) {
        return NextTokenCrossEntropy.loss(logProbs(run(sequences)), sequences, config.vocabSize());
    }

    /**
     * The mean next-token cross-entropy, running the backward so that score gradients accumulate and every projection's
     * {@link ScoredProjection.WeightGradientSink} sees its part of {@code dL/dW}. At the uncompressed model the KL of
     * {@link #lossAndGradient} has zero gradient; this loss does not.
     */
    public double crossEntropyAndGradient(int[][] sequences) {
        Run run = run(sequences);
        double[] logProbs = logProbs(run);
        backward(run, sequences, NextTokenCrossEntropy.logitGradient(logProbs, sequences, config.vocabSize()));
        return NextTokenCrossEntropy.loss(logProbs, sequences, config.vocabSize());
    }

    private void backward(Run run, int[][] sequences, double[] dLogits) {
        int rows = run.rows();
        double[] dNormed = DoubleMatrices.values(linalg.matmul(DoubleMatrices.of(dLogits, rows, config.vocabSize()), false, lmHead, false));
        double[] dHidden = RmsNorm.backward(run.finalHidden(), dNormed, rows, config.hiddenSize(), finalNorm, config.rmsNormEps());
        for (int i = layers.size() - 1; i >= 0; i--) {
            dHidden = layers.get(i).backward(run.traces().get(i), dHidden, sequences.length, run.seqLen());
        }
    }

    /** The forward activations of one batch. */
    private record Run(int rows, int seqLen, List<ScoredDecoderLayer.Trace> traces, double[] finalHidden, double[] logits) {
    }

    private Run run(int[][] sequences) {
        int seqLen = requireRectangular(sequences);
        config.requireSupportedSequenceLength(seqLen);
        int rows = sequences.length * seqLen;
        double[] hidden = embed(sequences, seqLen);
        List<ScoredDecoderLayer.Trace> traces = new ArrayList<>();
        for (ScoredDecoderLayer layer : layers) {
            ScoredDecoderLayer.Trace trace = layer.forward(hidden, sequences.length, seqLen);
            traces.add(trace);
            hidden = trace.output();
        }
        double[] normed = RmsNorm.forward(hidden, rows, config.hiddenSize(), finalNorm, config.rmsNormEps());
        double[] logits = DoubleMatrices.values(linalg.matmul(DoubleMatrices.of(normed, rows, config.hiddenSize()), false, lmHead, true));
        return new Run(rows, seqLen, traces, hidden, logits);
    }

    private double[] logProbs(Run run) {
        return NextTokenKl.logSoftmax(run.logits(), run.rows(), config.vocabSize());
    }

    private double[] embed(int[][] sequences, int seqLen) {
        int width = config.hiddenSize();
        double[] hidden = new double[sequences.length * seqLen * width];
        for (int s = 0; s < sequences.length; s++) {
            for (int t = 0; t < seqLen; t++) {
                int token = sequences[s][t];
                if (token < 0 || token >= config.vocabSize()) {
                    throw new IllegalArgumentException("token id " + token + " is outside the vocabulary of " + config.vocabSize());
                }
                System.arraycopy(embedding, token * width, hidden, (s * seqLen + t) * width, width);
            }
        }
        return hidden;
    }

    private void requireLength(double[] teacherLogProbs, int rows) {
        if (teacherLogProbs.length != (long) rows * config.vocabSize()) {
            throw new IllegalArgumentException("teacher log-probs hold " + teacherLogProbs.length + " values, the batch needs "
                    + rows + " x " + config.vocabSize());
        }
    }

    private static int requireRectangular(int[][] sequences) {
        if (sequences.length == 0 || sequences[0].length == 0) {
            throw new IllegalArgumentException("no tokens to run");
        }
        for (int[] s : sequences) {
            if (s.length != sequences[0].length) {
                throw new IllegalArgumentException("sequences in one batch must have equal length");
            }
        }
        return sequences[0].length;
    }
}
