package io.svdwb.engine.linalg;

import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.array;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.descending;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.ejmlSymmetricEigenvalues;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.frobenius;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.frobeniusOfDifference;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.maxAbsDifference;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.multiply;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.orthogonal;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.orthonormalityError;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.random;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.transpose;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.unitRoundoff;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.values;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link LinearAlgebra#symmetricEigen}. Tolerance: syevd is backward stable, so ‖AV − VΛ‖ ≤ tol·‖A‖,
 * ‖VᵀV − I‖ ≤ tol and (Weyl) |λ − λ_EJML| ≤ tol·‖A‖_2 with tol = SAFETY·u·n, SAFETY = 20 (the same
 * reasoning and margin as the SVD contract).
 */
abstract class LinearAlgebraSymmetricEigenContract {

    /** The backend under test. */
    protected abstract LinearAlgebra linearAlgebra();


    private static final double SAFETY = 20;
    private final LinearAlgebra la = linearAlgebra();
    private final Random rng = new Random(11L);

    private static double[][] symmetrised(double[][] a) {
        double[][] s = new double[a.length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                s[i][j] = (a[i][j] + a[j][i]) / 2;
            }
        }
        return s;
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void randomSymmetric(DataType type) {
        checkEigen(symmetrised(random(130, 130, rng)), type, null);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void knownSpectrumWithNegativeAndRepeatedValues(DataType type) {
        double[] lambda = {-4, 2.5, 0, 7, 2.5, -0.5, 1e-3};
        int n = lambda.length;
        double[][] q = orthogonal(n, n, rng);
        double[][] scaled = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                scaled[i][j] = q[i][j] * lambda[j];
            }
        }
        checkEigen(symmetrised(multiply(scaled, transpose(q))), type, descending(lambda));
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void oneByOneAndDiagonal(DataType type) {
        checkEigen(new double[][] {{-2}}, type, new double[] {-2});
        checkEigen(new double[][] {{1, 0, 0}, {0, 3, 0}, {0, 0, 2}}, type, new double[] {3, 2, 1});
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void onlyTheLowerTriangleIsRead(DataType type) {
        double[][] a = symmetrised(random(20, 20, rng));
        double[][] garbageAbove = new double[20][];
        for (int i = 0; i < 20; i++) {
            garbageAbove[i] = a[i].clone();
            for (int j = i + 1; j < 20; j++) {
                garbageAbove[i][j] = 1e3;
            }
        }
        INDArray clean = la.symmetricEigen(array(a, type)).values();
        assertThat(la.symmetricEigen(array(garbageAbove, type)).values().equals(clean)).isTrue();
        // column-major, and row-major with the garbage in the lower triangle of its transpose (a view: copied, not reread)
        assertThat(la.symmetricEigen(array(garbageAbove, type).dup('f')).values().equals(clean)).isTrue();
        double[][] garbageBelow = LinearAlgebraTestMatrices.transpose(garbageAbove);
        assertThat(la.symmetricEigen(array(garbageBelow, type).transpose()).values().equals(clean)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void badInputsAreRejected(DataType type) {
        assertThatThrownBy(() -> la.symmetricEigen(array(new double[][] {{1, 2}}, type)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("square");
        assertThatThrownBy(() -> la.symmetricEigen(array(new double[][] {{1, 0}, {Double.NaN, 1}}, type)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite");
    }

    private void checkEigen(double[][] sym, DataType type, double[] expected) {
        INDArray input = array(sym, type);
        double[][] a = values(input);
        int n = a.length;
        EigenResult r = la.symmetricEigen(input);
        assertThat(r.values().dataType()).isEqualTo(type);
        assertThat(r.vectors().dataType()).isEqualTo(type);
        assertThat(r.vectors().shape()).containsExactly(n, n);
        double[] lambda = vector(r.values());
        double[][] v = values(r.vectors());
        assertThat(lambda).hasSize(n).as("descending").isEqualTo(descending(lambda));
        double tol = SAFETY * unitRoundoff(type) * n;
        double norm2 = Math.max(Math.abs(lambda[0]), Math.abs(lambda[n - 1]));
        double[][] vLambda = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                vLambda[i][j] = v[i][j] * lambda[j];
            }
        }
        assertThat(frobeniusOfDifference(multiply(a, v), vLambda)).as("‖AV − VΛ‖_F").isLessThanOrEqualTo(tol * frobenius(a));
        assertThat(orthonormalityError(v)).as("‖VᵀV − I‖_F").isLessThanOrEqualTo(tol);
        assertThat(maxAbsDifference(lambda, ejmlSymmetricEigenvalues(a))).as("max |λ − λ_EJML|").isLessThanOrEqualTo(tol * norm2);
        if (expected != null) {
            double bound = tol * norm2 + unitRoundoff(type) * frobenius(a); // plus the input's rounding
            assertThat(maxAbsDifference(lambda, expected)).as("max |λ − λ_known|").isLessThanOrEqualTo(bound);
        }
    }
}
