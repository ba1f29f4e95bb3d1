package io.svdwb.engine.model;

/** Row-wise kernels of the forward pass on flat float32 arrays, with sums accumulated in double. */
final class Activations {

    private Activations() {
    }

    /** RMSNorm of each row of {@code x} [rows, width]: {@code x / sqrt(mean(x²) + eps) * weight}. */
    static float[] rmsNorm(float[] x, int rows, int width, float[] weight, double eps) {
        float[] out = new float[x.length];
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            double sumSquares = 0;
            for (int i = 0; i < width; i++) {
                double v = x[base + i];
                sumSquares += v * v;
            }
            float scale = (float) (1.0 / Math.sqrt(sumSquares / width + eps));
            for (int i = 0; i < width; i++) {
                out[base + i] = weight[i] * (x[base + i] * scale);
            }
        }
        return out;
    }

    /** SwiGLU's gate: {@code silu(gate) * up}, written into {@code gate}. */
    static void siluTimesInPlace(float[] gate, float[] up) {
        for (int i = 0; i < gate.length; i++) {
            float g = gate[i];
            gate[i] = (float) (g / (1.0 + Math.exp(-g))) * up[i];
        }
    }

    /**
     * Causal softmax in place over a [rows, seqLen] block of scaled scores made of stacked
     * [seqLen, seqLen] blocks: row r is position r mod seqLen and attends to columns 0..position.
     */
    static void causalSoftmaxInPlace(float[] scores, int rows, int seqLen, float scale) {
        for (int r = 0; r < rows; r++) {
            int i = r % seqLen;
            int base = r * seqLen;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j <= i; j++) {
                max = Math.max(max, scores[base + j] * scale);
            }
            double sum = 0;
            for (int j = 0; j <= i; j++) {
                float e = (float) Math.exp(scores[base + j] * scale - max);
                scores[base + j] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j <= i; j++) {
                scores[base + j] *= inv;
            }
            for (int j = i + 1; j < seqLen; j++) {
                scores[base + j] = 0f;
            }
        }
    }

    static void addInPlace(float[] target, float[] delta) {
        for (int i = 0; i < target.length; i++) {
            target[i] += delta[i];
        }
    }
}
