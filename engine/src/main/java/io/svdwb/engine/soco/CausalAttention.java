package io.svdwb.engine.soco;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.ModelConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The causal grouped-query softmax attention of {@link io.svdwb.engine.model.DecoderLayer} in double (rotary
 * already applied to q and k), and its backward. As there, the query heads sharing a key/value head are stacked
 * into one [group * seqLen, headDim] block per sequence and kv head, so each block costs a few matrix products.
 */
final class CausalAttention {

    /** The output [rows, qDim] and the attention probabilities of each (sequence, kv head) block. */
    record Pass(double[] output, double[][] probabilities) {
    }

    /** {@code dL/dq}, {@code dL/dk}, {@code dL/dv} in the layouts of q, k and v. */
    record Gradients(double[] q, double[] k, double[] v) {
    }

    private final ModelConfig config;
    private final LinearAlgebra linalg;

    CausalAttention(ModelConfig config, LinearAlgebra linalg) {
        this.config = config;
        this.linalg = linalg;
    }

    Pass forward(double[] q, double[] k, double[] v, int sequences, int seqLen) {
        int headDim = config.headDim();
        int group = config.numHeads() / config.numKvHeads();
        double scale = 1.0 / Math.sqrt(headDim);
        double[] out = new double[sequences * seqLen * config.qDim()];
        double[][] probabilities = new double[sequences * config.numKvHeads()][];
        for (int s = 0; s < sequences; s++) {
            for (int kvHead = 0; kvHead < config.numKvHeads(); kvHead++) {
                Block b = block(s, kvHead, seqLen);
                INDArray queries = b.slice(q, config.qDim(), group);
                INDArray keys = b.slice(k, config.kvDim(), 1);
                INDArray values = b.slice(v, config.kvDim(), 1);
                double[] p = DoubleMatrices.values(linalg.matmul(queries, false, keys, true));
                causalSoftmaxInPlace(p, group * seqLen, seqLen, scale);
                probabilities[s * config.numKvHeads() + kvHead] = p;
                double[] context = DoubleMatrices.values(linalg.matmul(DoubleMatrices.of(p, group * seqLen, seqLen), false, values, false));
                b.scatterAdd(context, out, config.qDim(), group);
            }
        }
        return new Pass(out, probabilities);
    }

    /**
     * With {@code P = softmax(scale Q Kᵀ)} and {@code O = P V}: {@code dV = Pᵀ dO}, {@code dP = dO Vᵀ},
     * {@code dS = scale P ⊙ (dP - rowsum(P ⊙ dP))}, {@code dQ = dS K}, {@code dK = dSᵀ Q}.
     */
    Gradients backward(double[] q, double[] k, double[] v, Pass pass, double[] gradOutput, int sequences, int seqLen) {
        int headDim = config.headDim();
        int group = config.numHeads() / config.numKvHeads();
        double scale = 1.0 / Math.sqrt(headDim);
        double[] dq = new double[q.length];
        double[] dk = new double[k.length];
        double[] dv = new double[v.length];
        for (int s = 0; s < sequences; s++) {
            for (int kvHead = 0; kvHead < config.numKvHeads(); kvHead++) {
                Block b = block(s, kvHead, seqLen);
                INDArray queries = b.slice(q, config.qDim(), group);
                INDArray keys = b.slice(k, config.kvDim(), 1);
                INDArray values = b.slice(v, config.kvDim(), 1);
                INDArray dOut = b.slice(gradOutput, config.qDim(), group);
                double[] p = pass.probabilities()[s * config.numKvHeads() + kvHead];
                INDArray probs = DoubleMatrices.of(p, group * seqLen, seqLen);
                b.scatterAdd(DoubleMatrices.values(linalg.matmul(probs, true, dOut, false)), dv, config.kvDim(), 1);
                double[] dScores = DoubleMatrices.values(linalg.matmul(dOut, false, values, true));
                softmaxBackwardInPlace(dScores, p, group * seqLen, seqLen, scale);
                INDArray dS = DoubleMatrices.of(dScores, group * seqLen, seqLen);
                b.scatterAdd(DoubleMatrices.values(linalg.matmul(dS, false, keys, false)), dq, config.qDim(), group);
                b.scatterAdd(DoubleMatrices.values(linalg.matmul(dS, true, queries, false)), dk, config.kvDim(), 1);
            }
        }
        return new Gradients(dq, dk, dv);
    }

    private Block block(int sequence, int kvHead, int seqLen) {
        return new Block(sequence * seqLen, seqLen, kvHead, config.headDim());
    }

    /** Softmax over columns 0..(row mod seqLen) of {@code scale * scores}; later columns get 0. */
    private static void causalSoftmaxInPlace(double[] scores, int rows, int seqLen, double scale) {
        for (int r = 0; r < rows; r++) {
            int last = r % seqLen;
            int base = r * seqLen;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j <= last; j++) {
                max = Math.max(max, scores[base + j] * scale);
            }
            double sum = 0;
            for (int j = 0; j <= last; j++) {
                scores[base + j] = Math.exp(scores[base + j] * scale - max);
                sum += scores[base + j];
            }
            for (int j = 0; j <= last; j++) {
                scores[base + j] /= sum;
            }
            for (int j = last + 1; j < seqLen; j++) {
                scores[base + j] = 0;
            }
        }
    }

    /** Turns {@code dP} into {@code dL/d(Q Kᵀ)}; masked entries have P = 0 and so get 0. */
    private static void softmaxBackwardInPlace(double[] grad, double[] p, int rows, int seqLen, double scale) {
        for (int r = 0; r < rows; r++) {
            int base = r * seqLen;
            double dot = 0;
            for (int j = 0; j < seqLen; j++) {
                dot += p[base + j] * grad[base + j];
            }
            for (int j = 0; j < seqLen; j++) {
                grad[base + j] = scale * p[base + j] * (grad[base + j] - dot);
            }
        }
    }

    /**
     * The rows of one sequence and the columns of {@code heads} consecutive heads starting at the block's
     * (kv head * heads)-th head, stacked head after head as [heads * seqLen, headDim].
     */
    private record Block(int rowBase, int seqLen, int kvHead, int headDim) {

        INDArray slice(double[] src, int rowWidth, int heads) {
            double[] out = new double[heads * seqLen * headDim];
            int firstColumn = kvHead * heads * headDim;
            for (int h = 0; h < heads; h++) {
                for (int t = 0; t < seqLen; t++) {
                    System.arraycopy(src, (rowBase + t) * rowWidth + firstColumn + h * headDim, out, (h * seqLen + t) * headDim, headDim);
                }
            }
            return DoubleMatrices.of(out, heads * seqLen, headDim);
        }

        void scatterAdd(double[] stacked, double[] target, int rowWidth, int heads) {
            int firstColumn = kvHead * heads * headDim;
            for (int h = 0; h < heads; h++) {
                for (int t = 0; t < seqLen; t++) {
                    int from = (h * seqLen + t) * headDim;
                    int to = (rowBase + t) * rowWidth + firstColumn + h * headDim;
                    for (int d = 0; d < headDim; d++) {
                        target[to + d] += stacked[from + d];
                    }
                }
            }
        }
    }
}
