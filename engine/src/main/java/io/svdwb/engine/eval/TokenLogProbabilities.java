package io.svdwb.engine.eval;

/** Log-softmax pieces over one row of logits, in double so that large vocabularies lose nothing. */
public final class TokenLogProbabilities {

    private TokenLogProbabilities() {
    }

    /** log Σ exp(logits[offset .. offset+count)). */
    public static double logSumExp(float[] logits, int offset, int count) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        if (Double.isInfinite(max) || Double.isNaN(max)) {
            return max;
        }
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += Math.exp(logits[offset + i] - max);
        }
        return max + Math.log(sum);
    }

    /** Index of the largest logit in the row (the first one on ties). */
    public static int argmax(float[] logits, int offset, int count) {
        int best = 0;
        for (int i = 1; i < count; i++) {
            if (logits[offset + i] > logits[offset + best]) {
                best = i;
            }
        }
        return best;
    }
}
