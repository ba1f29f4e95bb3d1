package io.svdwb.engine.model;

/**
 * Rotary position embedding in the Hugging Face convention ({@code rotate_half}: dimension i is paired
 * with i + headDim/2). Angles are computed in double and rounded once (transformers forms them in float32; double is
 * closer to the float64 reference and costs nothing, the tables being cached).
 */
public final class RotaryEmbedding {

    private final int headDim;
    private final double[] inverseFrequencies;
    private final double attentionFactor;
    private float[] cos = new float[0];
    private float[] sin = new float[0];
    private int cachedPositions;

    public RotaryEmbedding(ModelConfig config) {
        this.headDim = config.headDim();
        this.inverseFrequencies = config.ropeScaling().inverseFrequencies(headDim, config.ropeTheta());
        this.attentionFactor = config.ropeScaling().attentionFactor();
    }

    private synchronized void ensurePositions(int positions) {
        if (positions <= cachedPositions) {
            return;
        }
        int half = headDim / 2;
        float[] c = new float[positions * half];
        float[] s = new float[positions * half];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < half; i++) {
                double angle = p * inverseFrequencies[i];
                // yarn scales cos and sin (transformers' attention_scaling); 1 for every other rope type
                c[p * half + i] = (float) (attentionFactor * Math.cos(angle));
                s[p * half + i] = (float) (attentionFactor * Math.sin(angle));
            }
        }
        cos = c;
        sin = s;
        cachedPositions = positions;
    }

    /** The cos and sin tables for positions 0..positions-1, [position * headDim / 2 + i]; not to be modified. */
    public float[][] tables(int positions) {
        ensurePositions(positions);
        synchronized (this) {
            return new float[][] {cos, sin};
        }
    }

    /**
     * Rotates, in place, every head of {@code x}, laid out as [sequences * seqLen, heads * headDim]
     * with position = row index modulo seqLen.
     */
    public void apply(float[] x, int rows, int seqLen, int heads) {
        ensurePositions(seqLen);
        float[] c = cos;
        float[] s = sin;
        int half = headDim / 2;
        int rowWidth = heads * headDim;
        for (int r = 0; r < rows; r++) {
            int pos = r % seqLen;
            int table = pos * half;
            for (int h = 0; h < heads; h++) {
                int base = r * rowWidth + h * headDim;
                for (int i = 0; i < half; i++) {
                    float x1 = x[base + i];
                    float x2 = x[base + i + half];
                    float ci = c[table + i];
                    float si = s[table + i];
                    x[base + i] = x1 * ci - x2 * si;
                    x[base + i + half] = x2 * ci + x1 * si;
                }
            }
        }
    }
}
