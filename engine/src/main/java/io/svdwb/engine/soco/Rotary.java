package io.svdwb.engine.soco;

import io.svdwb.engine.model.ModelConfig;

/**
 * The rotary position embedding of {@link io.svdwb.engine.model.RotaryEmbedding} (Hugging Face
 * {@code rotate_half} pairing i with i + headDim/2) in double, and its backward: the rotation is orthogonal,
 * so the gradient goes back through the opposite angle.
 */
final class Rotary {

    private final int headDim;
    private final double[] inverseFrequencies;
    private final double attentionFactor;

    Rotary(ModelConfig config) {
        this.headDim = config.headDim();
        this.inverseFrequencies = config.ropeScaling().inverseFrequencies(headDim, config.ropeTheta());
        // yarn's factor on cos and sin: a scaled rotation, whose transpose is the scaled opposite rotation
        this.attentionFactor = config.ropeScaling().attentionFactor();
    }

    /** Rotates every head of {@code x} [rows, heads * headDim] in place; position = row mod seqLen. */
    void rotate(double[] x, int rows, int seqLen, int heads) {
        apply(x, rows, seqLen, heads, 1);
    }

    /** The transpose of {@link #rotate}: maps {@code dL/d(rotated)} to {@code dL/d(unrotated)} in place. */
    void rotateBack(double[] grad, int rows, int seqLen, int heads) {
        apply(grad, rows, seqLen, heads, -1);
    }

    private void apply(double[] x, int rows, int seqLen, int heads, int direction) {
        int half = headDim / 2;
        int rowWidth = heads * headDim;
        for (int r = 0; r < rows; r++) {
            int pos = r % seqLen;
            for (int i = 0; i < half; i++) {
                double angle = pos * inverseFrequencies[i];
                double c = attentionFactor * Math.cos(angle);
                double s = attentionFactor * direction * Math.sin(angle);
                for (int h = 0; h < heads; h++) {
                    int base = r * rowWidth + h * headDim;
                    double x1 = x[base + i];
                    double x2 = x[base + i + half];
                    x[base + i] = x1 * c - x2 * s;
                    x[base + i + half] = x2 * c + x1 * s;
                }
            }
        }
    }
}
