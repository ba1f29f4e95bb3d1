package io.svdwb.engine.soco;

/**
 * SoCo's distillation loss (docs/METHODS.md §4.8, L_kd): the mean over token positions of
 * {@code KL(teacher || student) = Σ_v p_v (log p_v - log q_v)} between next-token distributions, and its
 * gradient with respect to the student's logits, {@code (q - p) / rows}.
 */
public final class NextTokenKl {

    private NextTokenKl() {
    }

    /** Row-wise log-softmax of logits [rows, vocab] (e.g. the teacher's, from {@code LlamaModel.forward}). */
    public static double[] logSoftmax(float[] logits, int rows, int vocab) {
        double[] wide = new double[logits.length];
        for (int i = 0; i < wide.length; i++) {
            wide[i] = logits[i];
        }
        return logSoftmax(wide, rows, vocab);
    }

    public static double[] logSoftmax(double[] logits, int rows, int vocab) {
        double[] out = new double[logits.length];
        for (int r = 0; r < rows; r++) {
            int base = r * vocab;
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) {
                max = Math.max(max, logits[base + v]);
            }
            double sum = 0;
            for (int v = 0; v < vocab; v++) {
                sum += Math.exp(logits[base + v] - max);
            }
            double logSum = max + Math.log(sum);
            for (int v = 0; v < vocab; v++) {
                out[base + v] = logits[base + v] - logSum;
            }
        }
        return out;
    }

    /** The mean KL; a teacher probability of 0 contributes 0 (the limit of p log p). */
    static double loss(double[] teacherLogProbs, double[] studentLogProbs, int rows) {
        double total = 0;
        for (int i = 0; i < teacherLogProbs.length; i++) {
            double p = Math.exp(teacherLogProbs[i]);
            if (p > 0) {
                total += p * (teacherLogProbs[i] - studentLogProbs[i]);
            }
        }
        return total / rows;
    }

    /** {@code dL/dlogits = (q - p) / rows}. */
    static double[] logitGradient(double[] teacherLogProbs, double[] studentLogProbs, int rows) {
        double[] out = new double[teacherLogProbs.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Math.exp(studentLogProbs[i]) - Math.exp(teacherLogProbs[i])) / rows;
        }
        return out;
    }
}
