package io.svdwb.engine.workbench;

import io.svdwb.engine.model.MatrixSpec;

/**
 * The singular values of one matrix as the workbench plots them: those of W itself and, once calibration
 * statistics exist, those of W S (SVD-LLM's whitened matrix, docs/METHODS.md §3.4), whose tail measures the output
 * error {@code ||W X - W' X||_F} over the calibration tokens. Immutable; arrays are copied in and out.
 *
 * @param matrix   the matrix
 * @param raw      sigma of W, descending
 * @param whitened sigma of W S, descending, or null before calibration
 */
public record MatrixSpectrum(MatrixSpec matrix, double[] raw, double[] whitened) {

    /**
     * What a rank-k cut keeps and loses in each metric; the whitened fields are NaN without whitened values.
     *
     * @param rank                 k
     * @param rawLoss              {@code ||W - W_k||_F = sqrt(sum_{i>k} sigma_i^2)}
     * @param rawRelativeLoss      rawLoss / ||W||_F
     * @param rawRetainedEnergy    {@code sum_{i<=k} sigma_i^2 / sum_i sigma_i^2}
     * @param whitenedLoss         the same tail norm of W S: exactly ||W X - W' X||_F for SVD-LLM's cut
     * @param whitenedRelativeLoss whitenedLoss / ||W S||_F = ||W X - W' X||_F / ||W X||_F
     * @param whitenedRetainedEnergy retained sigma^2 fraction of W S
     */
    public record Cut(int rank, double rawLoss, double rawRelativeLoss, double rawRetainedEnergy, double whitenedLoss,
                      double whitenedRelativeLoss, double whitenedRetainedEnergy) {
    }

    public MatrixSpectrum {
        raw = checked(raw, matrix, "raw").clone();
        whitened = whitened == null ? null : checked(whitened, matrix, "whitened").clone();
        if (whitened != null && whitened.length != raw.length) {
            throw new IllegalArgumentException(matrix.label() + ": " + raw.length + " raw but " + whitened.length + " whitened values");
        }
    }

    @Override
    public double[] raw() {
        return raw.clone();
    }

    /** Sigma of W S, or null before calibration. */
    @Override
    public double[] whitened() {
        return whitened == null ? null : whitened.clone();
    }

    public boolean hasWhitened() {
        return whitened != null;
    }

    /** {@code min(m, n)}: the number of singular values. */
    public int fullRank() {
        return raw.length;
    }

    /** The retained-energy curve of W: element {@code k-1} is the sigma^2 fraction kept by rank k. */
    public double[] rawRetainedEnergy() {
        return retainedEnergy(raw);
    }

    /** The retained-energy curve of W S, or null before calibration. */
    public double[] whitenedRetainedEnergy() {
        return whitened == null ? null : retainedEnergy(whitened);
    }

    /** Loss and kept energy of the rank-k cut, k in [0, fullRank()]. */
    public Cut cut(int k) {
        if (k < 0 || k > fullRank()) {
            throw new IllegalArgumentException(matrix.label() + ": rank " + k + " outside [0, " + fullRank() + "]");
        }
        double[] rawTails = tailSquares(raw);
        double rawLoss = Math.sqrt(rawTails[k]);
        if (whitened == null) {
            return new Cut(k, rawLoss, ratio(rawLoss, Math.sqrt(rawTails[0])), energy(rawTails[k], rawTails[0]),
                    Double.NaN, Double.NaN, Double.NaN);
        }
        double[] wTails = tailSquares(whitened);
        double wLoss = Math.sqrt(wTails[k]);
        return new Cut(k, rawLoss, ratio(rawLoss, Math.sqrt(rawTails[0])), energy(rawTails[k], rawTails[0]),
                wLoss, ratio(wLoss, Math.sqrt(wTails[0])), energy(wTails[k], wTails[0]));
    }

    /**
     * Cumulative sigma^2 fraction, one entry per rank 1..r: {@code 1 - tail(k) / total} with the same tail sums
     * (smallest value first) as the losses, so the curve and {@link #cut} agree exactly and the curve is monotone.
     */
    public static double[] retainedEnergy(double[] sigma) {
        double[] tails = tailSquares(sigma);
        double[] curve = new double[sigma.length];
        for (int k = 1; k <= sigma.length; k++) {
            curve[k - 1] = energy(tails[k], tails[0]);
        }
        return curve;
    }

    /**
     * {@code sqrt(sum_{i >= k} sigma_i^2)} (0-based: the values a rank-k cut drops), summed from the smallest
     * value up as {@code LowRankDecomposition.truncationLoss} does, so both agree to the last bit.
     */
    public static double tailNorm(double[] sigma, int k) {
        return Math.sqrt(tailSquares(sigma)[k]);
    }

    /** {@code tails[k] = sum_{i >= k} sigma_i^2} for k = 0..r, accumulated from the smallest value up. */
    private static double[] tailSquares(double[] sigma) {
        double[] tails = new double[sigma.length + 1];
        for (int i = sigma.length - 1; i >= 0; i--) {
            tails[i] = tails[i + 1] + sigma[i] * sigma[i];
        }
        return tails;
    }

    private static double ratio(double part, double whole) {
        return whole == 0 ? 0 : part / whole;
    }

    /** The kept sigma^2 fraction {@code 1 - dropped / total} (a zero matrix keeps everything it has). */
    private static double energy(double droppedSquares, double totalSquares) {
        return totalSquares == 0 ? 1 : 1 - droppedSquares / totalSquares;
    }

    private static double[] checked(double[] sigma, MatrixSpec matrix, String which) {
        if (sigma == null || sigma.length == 0) {
            throw new IllegalArgumentException(matrix.label() + ": no " + which + " singular values");
        }
        for (int i = 0; i < sigma.length; i++) {
            if (!(sigma[i] >= 0) || Double.isInfinite(sigma[i]) || (i > 0 && sigma[i] > sigma[i - 1])) {
                throw new IllegalArgumentException(matrix.label() + ": " + which
                        + " singular values must be finite, non-negative and descending (index " + i + ")");
            }
        }
        return sigma;
    }
}
