package io.svdwb.engine.soco;

/**
 * The language-modelling loss of the gradient passes (FWSVD, docs/METHODS.md §4.2; Zero-Sum SVD, §4.11): the mean
 * over predicted positions of {@code -log q(next token)}, where position t of each sequence predicts token t + 1 and
 * the last position of each sequence predicts nothing (the Hugging Face shift, {@code logits[:, :-1]} against
 * {@code ids[:, 1:]}). Its gradient with respect to the logits is {@code (q - onehot(label)) / P} on predicting rows
 * and 0 on the last row of each sequence, P = sequences x (seqLen - 1).
 */
public final class NextTokenCrossEntropy {

    private NextTokenCrossEntropy() {
    }

    /** The mean cross-entropy; {@code logProbs} [sequences * seqLen, vocab] from {@link NextTokenKl#logSoftmax}. */
    static double loss(double[] logProbs, int[][] sequences, int vocab) {
        int seqLen = requirePredicting(sequences);
        double total = 0;
        for (int s = 0; s < sequences.length; s++) {
            for (int t = 0; t + 1 < seqLen; t++) {
                total -= logProbs[(s * seqLen + t) * vocab + sequences[s][t + 1]];
            }
        }
        return total / ((double) sequences.length * (seqLen - 1));
    }

    /** {@code dL/dlogits} [sequences * seqLen, vocab]. */
    static double[] logitGradient(double[] logProbs, int[][] sequences, int vocab) {
        int seqLen = requirePredicting(sequences);
        double predicted = (double) sequences.length * (seqLen - 1);
        double[] out = new double[logProbs.length];
        for (int s = 0; s < sequences.length; s++) {
            for (int t = 0; t + 1 < seqLen; t++) {
                int base = (s * seqLen + t) * vocab;
                for (int v = 0; v < vocab; v++) {
                    out[base + v] = Math.exp(logProbs[base + v]) / predicted;
                }
                out[base + sequences[s][t + 1]] -= 1 / predicted;
            }
        }
        return out;
    }

    private static int requirePredicting(int[][] sequences) {
        int seqLen = sequences[0].length;
        if (seqLen < 2) {
            throw new IllegalArgumentException("next-token cross-entropy needs sequences of at least 2 tokens, got " + seqLen);
        }
        return seqLen;
    }
}
