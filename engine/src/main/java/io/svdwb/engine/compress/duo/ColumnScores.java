package io.svdwb.engine.compress.duo;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Duo-SVD column importance (docs/METHODS.md §4.6 step 4) [CODE]: {@code score_j = ||E[:, j]||^2 H[j, j]}
 * with {@code E = W - A0 B0} the weight-space residual of the whitened rank-k truncation and H the
 * calibration Gram. A diagonal estimate of column j's output error; used only to order columns.
 * Stateless, double precision.
 */
public final class ColumnScores {

    private ColumnScores() {
    }

    /** @param residual m x n row-major E; @param hDiagonal the n diagonal entries of H */
    public static double[] scores(double[][] residual, double[] hDiagonal) {
        int n = hDiagonal.length;
        double[] s = new double[n];
        for (double[] row : residual) {
            if (row.length != n) {
                throw new IllegalArgumentException("residual has " + row.length + " columns, H has " + n);
            }
            for (int j = 0; j < n; j++) {
                s[j] += row[j] * row[j];
            }
        }
        for (int j = 0; j < n; j++) {
            s[j] *= hDiagonal[j];
        }
        return s;
    }

    /** Column indices by descending score; equal scores by ascending index (deterministic). */
    public static int[] descendingOrder(double[] scores) {
        return IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(j -> -scores[j]).thenComparingInt(j -> j))
                .mapToInt(Integer::intValue).toArray();
    }

    /** The first q of {@code order}, sorted ascending (§4.6 / §6.9: gathers need sorted indices). */
    public static int[] keptColumns(int[] order, int q) {
        int[] c = Arrays.copyOf(order, q);
        Arrays.sort(c);
        return c;
    }
}
