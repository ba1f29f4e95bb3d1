package io.svdwb.engine.model;

/**
 * Row-wise kernels of the forward pass on flat float32 arrays, with sums accumulated in double. Rows are independent,
 * so large blocks are split over the common fork-join pool: at LLaMA-7B widths the causal softmax alone is 67M
 * exponentials per layer and window, which one thread spent seconds on while the other cores idled between the gemms.
 * Every row is computed exactly as on one thread, so the results do not depend on the split.
 */
final class Activations {

    /** Elements below which a block stays on the calling thread: splitting it would cost more than it saves. */
    private static final long PARALLEL_ELEMENTS = 1 << 16;

    private Activations() {
    }

    /** Runs {@code row} for every row in [0, rows), in parallel when the block holds enough elements. */
    private static void forEachRow(int rows, long elements, java.util.function.IntConsumer row) {
        java.util.stream.IntStream range = java.util.stream.IntStream.range(0, rows);
        (elements >= PARALLEL_ELEMENTS && rows > 1 ? range.parallel() : range).forEach(row);
    }

    /** RMSNorm of each row of {@code x} [rows, width]: {@code x / sqrt(mean(x²) + eps) * weight}. */
    static float[] rmsNorm(float[] x, int rows, int width, float[] weight, double eps) {
        float[] out = new float[x.length];
        forEachRow(rows, (long) rows * width, r -> {
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
        });
        return out;
    }

    /** SwiGLU's gate: {@code silu(gate) * up}, written into {@code gate}. */
    static void siluTimesInPlace(float[] gate, float[] up) {
        int block = 4096;
        int blocks = (gate.length + block - 1) / block;
        forEachRow(blocks, gate.length, b -> {
            int end = Math.min(gate.length, (b + 1) * block);
            for (int i = b * block; i < end; i++) {
                float g = gate[i];
                gate[i] = (float) (g / (1.0 + Math.exp(-g))) * up[i];
            }
        });
    }

    /**
     * Causal softmax in place over a [rows, seqLen] block of scaled scores made of stacked
     * [seqLen, seqLen] blocks: row r is position r mod seqLen and attends to columns 0..position.
     */
    static void causalSoftmaxInPlace(float[] scores, int rows, int seqLen, float scale) {
        forEachRow(rows, (long) rows * seqLen / 2, r -> {
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
        });
    }

    static void addInPlace(float[] target, float[] delta) {
        for (int i = 0; i < target.length; i++) {
            target[i] += delta[i];
        }
    }
}
