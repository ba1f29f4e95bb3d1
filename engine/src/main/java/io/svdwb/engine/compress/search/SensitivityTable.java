package io.svdwb.engine.compress.search;

import io.svdwb.engine.model.MatrixSpec;
import java.util.List;

/**
 * One measured value per (matrix, candidate kept ratio) and the parameters that candidate stores: ASVD's
 * calibration perplexities (docs/METHODS.md §4.3) or Duo-SVD's KL increases (§4.6), shown as-is by the UI.
 * Costs come from the replacements actually built (§2.5: never trust a nominal ratio); kept ratio 1.0
 * means "keep dense" and costs m n.
 *
 * @param matrices   the rows, in model order
 * @param keptRatios the columns, ascending, each in (0, 1]
 * @param values     [matrix][ratio]; NaN where a probe diverged
 * @param stored     [matrix][ratio] stored weight parameters of that candidate
 */
public record SensitivityTable(List<MatrixSpec> matrices, double[] keptRatios, double[][] values, long[][] stored) {

    public SensitivityTable {
        matrices = List.copyOf(matrices);
        keptRatios = keptRatios.clone();
        for (int i = 0; i < keptRatios.length; i++) {
            if (!(keptRatios[i] > 0 && keptRatios[i] <= 1) || i > 0 && keptRatios[i] <= keptRatios[i - 1]) {
                throw new IllegalArgumentException("kept ratios must be ascending in (0, 1], got " + java.util.Arrays.toString(keptRatios));
            }
        }
        values = copy(values, matrices.size(), keptRatios.length);
        stored = copy(stored, matrices.size(), keptRatios.length);
    }

    public double value(int matrix, int ratio) {
        return values[matrix][ratio];
    }

    public long stored(int matrix, int ratio) {
        return stored[matrix][ratio];
    }

    @Override
    public double[][] values() {
        return copy(values, values.length, keptRatios.length);
    }

    @Override
    public long[][] stored() {
        return copy(stored, stored.length, keptRatios.length);
    }

    @Override
    public double[] keptRatios() {
        return keptRatios.clone();
    }

    /** Sum of m n over the matrices: the parameters when everything stays dense. */
    public long originalParameters() {
        return matrices.stream().mapToLong(MatrixSpec::parameters).sum();
    }

    private static double[][] copy(double[][] a, int rows, int cols) {
        requireRows(a.length, rows);
        double[][] out = new double[rows][];
        for (int r = 0; r < rows; r++) {
            requireColumns(a[r].length, cols);
            out[r] = a[r].clone();
        }
        return out;
    }

    private static long[][] copy(long[][] a, int rows, int cols) {
        requireRows(a.length, rows);
        long[][] out = new long[rows][];
        for (int r = 0; r < rows; r++) {
            requireColumns(a[r].length, cols);
            out[r] = a[r].clone();
        }
        return out;
    }

    private static void requireRows(int rows, int matrices) {
        if (rows != matrices) {
            throw new IllegalArgumentException("table has " + rows + " rows for " + matrices + " matrices");
        }
    }

    private static void requireColumns(int cols, int ratios) {
        if (cols != ratios) {
            throw new IllegalArgumentException("table row has " + cols + " entries for " + ratios + " kept ratios");
        }
    }
}
