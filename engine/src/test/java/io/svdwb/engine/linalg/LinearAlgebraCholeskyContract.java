package io.svdwb.engine.linalg;

import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.array;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.ejmlCholeskyLower;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.frobenius;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.frobeniusOfDifference;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.multiply;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.orthogonal;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.transpose;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.unitRoundoff;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link LinearAlgebra#cholesky}. Tolerances: potrf is backward stable with ‖LLᵀ − A‖ ≤ (n+1)·u·‖A‖
 * (Higham, Thm 10.3), so tol = SAFETY·u·n with SAFETY = 20 (the bound is a worst case: measured about 0.004 u·n at n = 300). The forward
 * error of L against EJML is at most κ(A) times that; the test matrices have κ = 10 exactly.
 */
abstract class LinearAlgebraCholeskyContract {

    /** The backend under test. */
    protected abstract LinearAlgebra linearAlgebra();


    private static final double SAFETY = 20;
    private static final double CONDITION = 10;
    private final LinearAlgebra la = linearAlgebra();
    private final Random rng = new Random(7L);

    /** Q diag(λ) Qᵀ with λ spread over [1, CONDITION]: SPD with a known condition number. */
    private double[][] spd(int n) {
        double[][] q = orthogonal(n, n, rng);
        double[][] scaled = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                scaled[i][j] = q[i][j] * (1 + (CONDITION - 1) * j / (n - 1.0));
            }
        }
        double[][] a = multiply(scaled, transpose(q));
        for (int i = 0; i < n; i++) { // exact symmetry, so the lower triangle alone defines A
            for (int j = 0; j < i; j++) {
                a[j][i] = a[i][j];
            }
        }
        return a;
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void factorIsLowerWithPositiveDiagonalAndReproducesTheMatrix(DataType type) {
        int n = 150;
        INDArray input = array(spd(n), type);
        double[][] a = values(input);
        INDArray result = la.cholesky(input);
        assertThat(result.dataType()).isEqualTo(type);
        assertThat(result.shape()).containsExactly(n, n);
        double[][] l = values(result);
        for (int i = 0; i < n; i++) {
            assertThat(l[i][i]).as("L[%d][%d]", i, i).isPositive();
            for (int j = i + 1; j < n; j++) {
                assertThat(l[i][j]).as("upper L[%d][%d]", i, j).isZero();
            }
        }
        double tol = SAFETY * unitRoundoff(type) * n;
        assertThat(frobeniusOfDifference(multiply(l, transpose(l)), a)).as("‖LLᵀ − A‖_F").isLessThanOrEqualTo(tol * frobenius(a));
        double[][] reference = ejmlCholeskyLower(a);
        assertThat(frobeniusOfDifference(l, reference)).as("‖L − L_EJML‖_F")
                .isLessThanOrEqualTo(CONDITION * tol * frobenius(reference));
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void onlyTheLowerTriangleIsReadAndInputsAreKept(DataType type) {
        double[][] a = spd(40);
        double[][] garbageAbove = a.clone();
        for (int i = 0; i < a.length; i++) {
            garbageAbove[i] = a[i].clone();
            for (int j = i + 1; j < a.length; j++) {
                garbageAbove[i][j] = -1e3;
            }
        }
        INDArray clean = la.cholesky(array(a, type));
        INDArray input = array(garbageAbove, type).dup('f');
        INDArray before = input.dup();
        assertThat(la.cholesky(input).equals(clean)).isTrue();
        assertThat(input.equals(before)).isTrue();
        // row-major: factored as the column-major transpose, which must read the same (lower) triangle
        INDArray rowMajor = array(garbageAbove, type).dup('c');
        assertThat(la.cholesky(rowMajor).equals(clean)).isTrue();
        assertThat(rowMajor.equals(array(garbageAbove, type))).isTrue();
        // a transposed view of the upper-garbage matrix has its garbage below: only the transpose is symmetric
        assertThat(la.cholesky(array(transpose(garbageAbove), type).transpose()).equals(clean)).isTrue();
    }

    /** In place, either ordering: the same factor as the copying call, in the very array given; views are refused. */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void inPlaceGivesTheSameFactorInTheSameArray(DataType type) {
        double[][] a = spd(70);
        INDArray expected = la.cholesky(array(a, type));
        for (char order : new char[] {'c', 'f'}) {
            INDArray work = array(a, type).dup(order);
            INDArray factor = la.choleskyInPlace(work);
            assertThat(factor).isSameAs(work);
            assertThat(frobeniusOfDifference(values(factor), values(expected))).as("order %s", order)
                    .isLessThanOrEqualTo(CONDITION * SAFETY * unitRoundoff(type) * 70 * frobenius(values(expected)));
        }
        INDArray block = org.nd4j.linalg.factory.Nd4j.zeros(type, 71, 71).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 71),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 71));
        assertThatThrownBy(() -> la.choleskyInPlace(block)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("view");
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void notPositiveDefiniteReportsTheFailingMinor(DataType type) {
        assertFailsAtMinor(new double[][] {{1, 0}, {0, -1}}, type, 2);
        assertFailsAtMinor(new double[][] {{0, 0}, {0, 1}}, type, 1);
        assertFailsAtMinor(new double[][] {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}}, type, 2); // singular PSD, rank 1
        assertFailsAtMinor(new double[][] {{4, 0, 0, 0}, {0, 9, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 1}}, type, 3);
    }

    private void assertFailsAtMinor(double[][] a, DataType type, int minor) {
        NotPositiveDefiniteException e = catchThrowableOfType(NotPositiveDefiniteException.class,
                () -> la.cholesky(array(a, type)));
        assertThat(e).as("exception for minor %d", minor).isNotNull();
        assertThat(e.leadingMinorOrder()).isEqualTo(minor);
        assertThat(e.matrixOrder()).isEqualTo(a.length);
        assertThat(e.info()).isEqualTo(minor);
        assertThat(e.routine()).endsWith("potrf");
        assertThat(e).hasMessageContaining("order " + minor);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void badInputsAreRejected(DataType type) {
        assertThatThrownBy(() -> la.cholesky(array(new double[][] {{1, 2, 3}}, type)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("square");
        assertThatThrownBy(() -> la.cholesky(array(new double[][] {{1, 0}, {Double.NaN, 1}}, type)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite").hasMessageContaining("(1, 0)");
        assertThatThrownBy(() -> la.cholesky(array(new double[][] {{Double.NEGATIVE_INFINITY}}, type)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite");
    }
}
