package io.svdwb.engine.linalg;

import java.util.Arrays;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.RandomMatrices_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test-side reference arithmetic in plain double loops, conversions to and from ND4J, and the
 * independent EJML reference decompositions. Nothing here calls the code under test.
 */
final class LinearAlgebraTestMatrices {

    /** Unit roundoff u = eps/2 of each working type: the relative error of one rounding. */
    static double unitRoundoff(DataType type) {
        return type == DataType.FLOAT ? 0x1p-24 : 0x1p-53;
    }

    private LinearAlgebraTestMatrices() {
    }

    static INDArray array(double[][] a, DataType type) {
        return Nd4j.create(a).castTo(type);
    }

    /** The matrix exactly as the working type holds it (float rounding included), in double. */
    static double[][] values(INDArray x) {
        return x.castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    static double[] vector(INDArray x) {
        return x.castTo(DataType.DOUBLE).toDoubleVector();
    }

    static double[][] random(int m, int n, Random rng) {
        double[][] a = new double[m][n];
        for (double[] row : a) {
            for (int j = 0; j < n; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        return a;
    }

    static double[][] scale(double[][] a, double factor) {
        double[][] r = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            r[i] = Arrays.stream(a[i]).map(v -> v * factor).toArray();
        }
        return r;
    }

    /** m x n with orthonormal columns (m >= n) or rows (m < n), from EJML. */
    static double[][] orthogonal(int m, int n, Random rng) {
        if (m < n) {
            return transpose(orthogonal(n, m, rng));
        }
        DMatrixRMaj q = RandomMatrices_DDRM.orthogonal(m, n, rng);
        double[][] r = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                r[i][j] = q.get(i, j);
            }
        }
        return r;
    }

    /** Q1 · diag(sigma) · Q2ᵀ with random orthonormal Q1 (m x k), Q2 (n x k): known singular values. */
    static double[][] withSingularValues(int m, int n, double[] sigma, Random rng) {
        int k = sigma.length;
        double[][] q1 = orthogonal(m, k, rng);
        double[][] q2 = orthogonal(n, k, rng);
        double[][] left = new double[m][k];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < k; j++) {
                left[i][j] = q1[i][j] * sigma[j];
            }
        }
        return multiply(left, transpose(q2));
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int m = a.length;
        int k = b.length;
        int n = k == 0 ? 0 : b[0].length;
        double[][] c = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double aip = a[i][p];
                for (int j = 0; j < n; j++) {
                    c[i][j] += aip * b[p][j];
                }
            }
        }
        return c;
    }

    static double[][] transpose(double[][] a) {
        int m = a.length;
        int n = m == 0 ? 0 : a[0].length;
        double[][] t = new double[n][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    static double[][] identity(int n) {
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            a[i][i] = 1;
        }
        return a;
    }

    static double frobenius(double[][] a) {
        double sum = 0;
        for (double[] row : a) {
            for (double v : row) {
                sum += v * v;
            }
        }
        return Math.sqrt(sum);
    }

    static double frobeniusOfDifference(double[][] a, double[][] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                double d = a[i][j] - b[i][j];
                sum += d * d;
            }
        }
        return Math.sqrt(sum);
    }

    static double maxAbsDifference(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** ‖QᵀQ − I‖_F: how far the columns of q are from orthonormal. */
    static double orthonormalityError(double[][] q) {
        return frobeniusOfDifference(multiply(transpose(q), q), identity(q[0].length));
    }

    private static DMatrixRMaj ejml(double[][] a) {
        return new DMatrixRMaj(a);
    }

    /** EJML's singular values, sorted descending. */
    static double[] ejmlSingularValues(double[][] a) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(a.length, a[0].length, false, false, true);
        if (!svd.decompose(ejml(a))) {
            throw new AssertionError("EJML SVD failed");
        }
        return descending(Arrays.copyOf(svd.getSingularValues(), Math.min(a.length, a[0].length)));
    }

    /** EJML's eigenvalues of a symmetric matrix, sorted descending. */
    static double[] ejmlSymmetricEigenvalues(double[][] a) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(a.length, false, true);
        if (!eig.decompose(ejml(a))) {
            throw new AssertionError("EJML eigendecomposition failed");
        }
        double[] values = new double[a.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = eig.getEigenvalue(i).real;
        }
        return descending(values);
    }

    /** EJML's lower Cholesky factor. */
    static double[][] ejmlCholeskyLower(double[][] a) {
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(a.length, true);
        if (!chol.decompose(ejml(a))) {
            throw new AssertionError("EJML Cholesky failed");
        }
        DMatrixRMaj l = chol.getT(null);
        double[][] r = new double[a.length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j <= i; j++) {
                r[i][j] = l.get(i, j);
            }
        }
        return r;
    }

    static double[] descending(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        for (int i = 0, j = sorted.length - 1; i < j; i++, j--) {
            double t = sorted[i];
            sorted[i] = sorted[j];
            sorted[j] = t;
        }
        return sorted;
    }
}
