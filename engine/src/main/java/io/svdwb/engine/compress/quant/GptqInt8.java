package io.svdwb.engine.compress.quant;

import io.svdwb.engine.linalg.LinearAlgebra;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * GPTQ-style int8 rounding of one factor (docs/METHODS.md §2.6): the same per-row grid as {@link RoundToNearestInt8}
 * (scales from the row maxima, fixed before rounding), but the columns are rounded one after the other and each
 * column's rounding error is spread over the columns not yet rounded through the inverse Hessian of the factor's input,
 * so that {@code trace((X - X') H (X - X')^T)} rather than {@code ||X - X'||} is what the rounding keeps small.
 *
 * <p>With {@code H^{-1} = U^T U} (U upper triangular), column j's error {@code e = (x_j - x'_j) / U_jj} updates
 * {@code x_t -= e U_jt} for every later column t (the GPTQ recursion). U comes from the Cholesky factor of the reversed
 * Hessian: for {@code J H J = L L^T}, {@code U = J L^{-1} J}. As in the GPTQ code [CODE, IST-DASLab/gptq
 * {@code fasterquant}], an input that never fires (zero diagonal) gets 1 there and its column is zeroed, then
 * {@code damping * mean(diag H)} is added to the diagonal (GPTQ's 1 %). The scales are taken from the matrix before
 * the dead columns are zeroed, as there. No lazy batching: the recursion runs column by column [OURS, same result].
 */
public final class GptqInt8 {

    /** GPTQ's default damping, a fraction of the mean diagonal of H. */
    public static final double DEFAULT_DAMPING = 0.01;

    private GptqInt8() {
    }

    /**
     * Quantises the row-major {@code rows x cols} matrix {@code values}, whose input has the Gram (Hessian) matrix
     * {@code hessian} ({@code cols x cols}, symmetric positive semi-definite; only its lower triangle is read).
     */
    public static Int8Rows quantize(float[] values, int rows, int cols, INDArray hessian, double damping, LinearAlgebra linalg,
                                    String label) {
        if (hessian.rank() != 2 || hessian.rows() != cols || hessian.columns() != cols) {
            throw new IllegalArgumentException(label + ": the Hessian must be " + cols + " x " + cols + ", got "
                    + java.util.Arrays.toString(hessian.shape()));
        }
        if (!(damping > 0 && damping < 1)) {
            throw new IllegalArgumentException(label + ": GPTQ damping must be in (0, 1), got " + damping);
        }
        Int8Rows grid = RoundToNearestInt8.quantize(values, rows, cols, label);
        double[][] u = inverseFactor(hessian, cols, damping, linalg);
        double[][] w = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                w[i][j] = hessian.getDouble(j, j) == 0 ? 0 : values[i * cols + j];
            }
        }
        byte[] codes = new byte[rows * cols];
        float[] scales = grid.scales();
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                if (scales[i] == 0) {
                    continue;
                }
                byte q = RoundToNearestInt8.code(w[i][j], scales[i]);
                codes[i * cols + j] = q;
                double error = (w[i][j] - scales[i] * q) / u[j][j];
                for (int t = j + 1; t < cols; t++) {
                    w[i][t] -= error * u[j][t];
                }
            }
        }
        return new Int8Rows(rows, cols, codes, scales.clone());
    }

    /** Upper-triangular U with {@code U^T U = (H + damping mean(diag H) I)^{-1}}, as a row-major array. */
    static double[][] inverseFactor(INDArray hessian, int n, double damping, LinearAlgebra linalg) {
        INDArray h = hessian.castTo(DataType.DOUBLE);
        double mean = 0;
        for (int i = 0; i < n; i++) {
            double d = h.getDouble(i, i);
            mean += (d == 0 ? 1 : d) / n;
        }
        double ridge = damping * mean;
        INDArray reversed = Nd4j.create(DataType.DOUBLE, n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = h.getDouble(n - 1 - j, n - 1 - i);   // lower triangle of J H J from the lower triangle of H
                if (i == j) {
                    v = (v == 0 ? 1 : v) + ridge;
                }
                reversed.putScalar(i, j, v);
                reversed.putScalar(j, i, v);
            }
        }
        INDArray lower = linalg.cholesky(reversed);
        INDArray lowerInverse = linalg.solveTriangular(lower, true, false, Nd4j.eye(n).castTo(DataType.DOUBLE), true);
        double[][] u = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                u[i][j] = lowerInverse.getDouble(n - 1 - i, n - 1 - j);
            }
        }
        return u;
    }
}
