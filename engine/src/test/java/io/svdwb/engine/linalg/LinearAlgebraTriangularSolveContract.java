package io.svdwb.engine.linalg;

import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.array;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.frobenius;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.frobeniusOfDifference;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.multiply;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.random;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.transpose;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.unitRoundoff;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link LinearAlgebra#solveTriangular}, checked by its residual. trsm is backward stable:
 * (T + ΔT) X = B with |ΔT| ≤ γ_n|T| (Higham Thm 8.5), so ‖op(T)X − B‖_F ≤ SAFETY·u·n·‖T‖_F‖X‖_F with
 * SAFETY = 2 (measured about 3e-4 of it; a wrong triangle or side is O(1)). The unused triangle is filled with large garbage to prove it is never read.
 */
abstract class LinearAlgebraTriangularSolveContract {

    /** The backend under test. */
    protected abstract LinearAlgebra linearAlgebra();


    private static final double SAFETY = 2;
    private static final double GARBAGE = 1e3;
    private final LinearAlgebra la = linearAlgebra();
    private final Random rng = new Random(13L);

    /** A triangle with a dominant diagonal (well conditioned) and garbage in the other triangle. */
    private double[][] triangular(int n, boolean lower) {
        double[][] t = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                boolean inTriangle = lower ? j <= i : j >= i;
                t[i][j] = inTriangle ? rng.nextGaussian() / Math.sqrt(n) : GARBAGE;
            }
            t[i][i] = (rng.nextBoolean() ? 1 : -1) * (1 + rng.nextDouble());
        }
        return t;
    }

    private static double[][] triangleOnly(double[][] t, boolean lower) {
        double[][] r = new double[t.length][t.length];
        for (int i = 0; i < t.length; i++) {
            for (int j = 0; j < t.length; j++) {
                r[i][j] = (lower ? j <= i : j >= i) ? t[i][j] : 0;
            }
        }
        return r;
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void allSideTransposeAndTriangleCombinations(DataType type) {
        int n = 60;
        int rhs = 17;
        for (boolean lower : new boolean[] {true, false}) {
            INDArray t = array(triangular(n, lower), type);
            for (boolean leftSide : new boolean[] {true, false}) {
                INDArray b = array(leftSide ? random(n, rhs, rng) : random(rhs, n, rng), type);
                for (boolean transpose : new boolean[] {false, true}) {
                    check(t, lower, transpose, b, leftSide, type);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void columnMajorAndViewOperands(DataType type) {
        int n = 40;
        INDArray lowerF = array(triangular(n, true), type).dup('f');
        INDArray upperAsTransposedView = array(transpose(triangular(n, true)), type).transpose(); // a lower triangle
        INDArray bBase = array(random(n + 10, 30, rng), type);
        INDArray bView = bBase.get(NDArrayIndex.interval(5, n + 5), NDArrayIndex.interval(0, 2, 30));
        for (boolean transpose : new boolean[] {false, true}) {
            check(lowerF, true, transpose, bView, true, type);
            check(upperAsTransposedView, true, transpose, bView, true, type);
            check(lowerF, true, transpose, bView.transpose(), false, type);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void singularOrMismatchedInputsAreRejected(DataType type) {
        INDArray singular = array(new double[][] {{1, 0}, {2, 0}}, type);
        INDArray b = array(new double[][] {{1}, {1}}, type);
        assertThatThrownBy(() -> la.solveTriangular(singular, true, false, b, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("singular");
        INDArray t = array(new double[][] {{1, 0}, {2, 3}}, type);
        assertThatThrownBy(() -> la.solveTriangular(t, true, false, b, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("columns");
        assertThatThrownBy(() -> la.solveTriangular(array(new double[][] {{1, 2}}, type), true, false, b, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("square");
    }

    private void check(INDArray t, boolean lower, boolean transpose, INDArray b, boolean leftSide, DataType type) {
        double[][] tv = triangleOnly(values(t), lower);
        double[][] op = transpose ? transpose(tv) : tv;
        double[][] bv = values(b);
        INDArray bBefore = b.dup();
        INDArray x = la.solveTriangular(t, lower, transpose, b, leftSide);
        assertThat(x.dataType()).isEqualTo(type);
        assertThat(x.shape()).containsExactly(b.shape());
        double[][] xv = values(x);
        double[][] product = leftSide ? multiply(op, xv) : multiply(xv, op);
        double bound = SAFETY * unitRoundoff(type) * tv.length * frobenius(tv) * frobenius(xv);
        assertThat(frobeniusOfDifference(product, bv))
                .as("residual lower=%s transpose=%s left=%s", lower, transpose, leftSide).isLessThanOrEqualTo(bound);
        assertThat(b.equals(bBefore)).as("b unchanged").isTrue();
    }
}
