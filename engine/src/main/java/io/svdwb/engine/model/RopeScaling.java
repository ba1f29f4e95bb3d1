package io.svdwb.engine.model;

/**
 * The rotary scaling of a Hugging Face config ({@code rope_scaling}, or {@code rope_parameters} in
 * transformers 5): none ("default"), linear (positions divided by {@code factor}), dynamic (NTK; equal to
 * none up to {@code max_position_embeddings}, the only range the engine runs), llama3 (frequency-dependent
 * interpolation as in Llama 3.1) or yarn (ramp between interpolated and extrapolated frequencies, cos and
 * sin scaled by an attention factor). Formulas as transformers 5.18's {@code modeling_rope_utils}.
 *
 * @param originalMaxPositionEmbeddings llama3 and yarn: the pretraining context; dynamic: the length up to
 *                                      which it equals none
 * @param attentionFactor               yarn: the factor on cos and sin; 1 for every other type
 */
public record RopeScaling(Type type, double factor, double lowFreqFactor, double highFreqFactor,
                          int originalMaxPositionEmbeddings, double betaFast, double betaSlow,
                          double attentionFactor, boolean truncate) {

    public enum Type { NONE, LINEAR, DYNAMIC, LLAMA3, YARN }

    public static final RopeScaling NONE = new RopeScaling(Type.NONE, 1, 0, 0, 0, 0, 0, 1, false);

    public static RopeScaling linear(double factor) {
        return new RopeScaling(Type.LINEAR, factor, 0, 0, 0, 0, 0, 1, false);
    }

    /** Dynamic NTK: the default frequencies up to {@code maxPositions} positions; longer sequences are refused. */
    public static RopeScaling dynamic(double factor, int maxPositions) {
        return new RopeScaling(Type.DYNAMIC, factor, 0, 0, maxPositions, 0, 0, 1, false);
    }

    public static RopeScaling llama3(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {
        return new RopeScaling(Type.LLAMA3, factor, lowFreqFactor, highFreqFactor, originalMaxPositions, 0, 0, 1, false);
    }

    public static RopeScaling yarn(double factor, int originalMaxPositions, double betaFast, double betaSlow,
                                   double attentionFactor, boolean truncate) {
        return new RopeScaling(Type.YARN, factor, 0, 0, originalMaxPositions, betaFast, betaSlow, attentionFactor, truncate);
    }

    /** The longest sequence these frequencies are right for: dynamic NTK changes them beyond its length. */
    public int maxSequenceLength() {
        return type == Type.DYNAMIC ? originalMaxPositionEmbeddings : Integer.MAX_VALUE;
    }

    /**
     * The rotary inverse frequencies for one head: {@code 1 / theta^(2i/headDim)}, i in [0, headDim/2),
     * adjusted by this scaling exactly as transformers' {@code ROPE_INIT_FUNCTIONS} do.
     */
    public double[] inverseFrequencies(int headDim, double theta) {
        double[] inv = new double[headDim / 2];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
        }
        switch (type) {
            case NONE, DYNAMIC -> { }
            case LINEAR -> {
                for (int i = 0; i < inv.length; i++) {
                    inv[i] /= factor;
                }
            }
            case LLAMA3 -> llama3InPlace(inv);
            case YARN -> yarnInPlace(inv, headDim, theta);
        }
        return inv;
    }

    private void llama3InPlace(double[] inv) {
        double lowFreqWavelen = originalMaxPositionEmbeddings / lowFreqFactor;
        double highFreqWavelen = originalMaxPositionEmbeddings / highFreqFactor;
        for (int i = 0; i < inv.length; i++) {
            double wavelen = 2 * Math.PI / inv[i];
            if (wavelen > lowFreqWavelen) {
                inv[i] = inv[i] / factor;
            } else if (wavelen >= highFreqWavelen) {
                double smooth = (originalMaxPositionEmbeddings / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                inv[i] = (1 - smooth) * inv[i] / factor + smooth * inv[i];
            }
        }
    }

    /**
     * YaRN: dimension i keeps its frequency (extrapolation) below the correction range found from beta_fast,
     * takes frequency / factor (interpolation) above the one found from beta_slow, and a linear ramp between.
     */
    private void yarnInPlace(double[] inv, int headDim, double theta) {
        double low = correctionDimension(betaFast, headDim, theta);
        double high = correctionDimension(betaSlow, headDim, theta);
        if (truncate) {
            low = Math.floor(low);
            high = Math.ceil(high);
        }
        low = Math.max(low, 0);
        high = Math.min(high, headDim - 1);
        if (low == high) {
            high += 0.001; // transformers' guard against a zero-width ramp
        }
        for (int i = 0; i < inv.length; i++) {
            double ramp = Math.min(1, Math.max(0, (i - low) / (high - low)));
            double extrapolationWeight = 1 - ramp;
            inv[i] = inv[i] / factor * (1 - extrapolationWeight) + inv[i] * extrapolationWeight;
        }
    }

    private double correctionDimension(double rotations, int headDim, double theta) {
        return headDim * Math.log(originalMaxPositionEmbeddings / (rotations * 2 * Math.PI)) / (2 * Math.log(theta));
    }
}
