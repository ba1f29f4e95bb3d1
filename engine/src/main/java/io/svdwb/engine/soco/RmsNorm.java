package io.svdwb.engine.soco;

/**
 * RMSNorm in double, {@code y = w ⊙ x / sqrt(mean(x²) + eps)} per row, and its backward with the weight frozen:
 * with {@code s = (mean(x²) + eps)^{-1/2}} and {@code h = w ⊙ g},
 * {@code dx = s h - (s³ / n) x (xᵀ h)}.
 */
final class RmsNorm {

    private RmsNorm() {
    }

    static double[] forward(double[] x, int rows, int width, double[] weight, double eps) {
        double[] out = new double[x.length];
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            double s = inverseRms(x, base, width, eps);
            for (int i = 0; i < width; i++) {
                out[base + i] = weight[i] * (x[base + i] * s);
            }
        }
        return out;
    }

    /** {@code dL/dx} given the forward input {@code x} and {@code gradY = dL/dy}. */
    static double[] backward(double[] x, double[] gradY, int rows, int width, double[] weight, double eps) {
        double[] out = new double[x.length];
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            double s = inverseRms(x, base, width, eps);
            double dot = 0;
            for (int i = 0; i < width; i++) {
                dot += x[base + i] * weight[i] * gradY[base + i];
            }
            double coefficient = s * s * s * dot / width;
            for (int i = 0; i < width; i++) {
                out[base + i] = s * weight[i] * gradY[base + i] - coefficient * x[base + i];
            }
        }
        return out;
    }

    private static double inverseRms(double[] x, int base, int width, double eps) {
        double sumSquares = 0;
        for (int i = 0; i < width; i++) {
            sumSquares += x[base + i] * x[base + i];
        }
        return 1.0 / Math.sqrt(sumSquares / width + eps);
    }
}
