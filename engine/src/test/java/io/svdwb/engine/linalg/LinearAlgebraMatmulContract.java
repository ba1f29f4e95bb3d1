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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link LinearAlgebra#matmul} against a naive double loop on the same (type-rounded) values.
 * Tolerance: a k-term dot product in the working type errs by at most γ_k·|a|·|b| ≈ k·u·|a|·|b|
 * elementwise (Higham 3.5), hence ‖C − C_ref‖_F ≤ SAFETY·u·k·‖A‖_F‖B‖_F with SAFETY = 2. Random signs keep
 * the measured error near 1e-3 of this worst-case bound; a layout or transpose bug is O(1).
 */
abstract class LinearAlgebraMatmulContract {

    /** The backend under test. */
    protected abstract LinearAlgebra linearAlgebra();


    private static final double SAFETY = 2;
    private final LinearAlgebra la = linearAlgebra();
    private final Random rng = new Random(3L);

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void allFourTransposeCombinations(DataType type) {
        int m = 37;
        int k = 53;
        int n = 29;
        double[][] a = random(m, k, rng);
        double[][] b = random(k, n, rng);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                INDArray left = array(ta ? transpose(a) : a, type);
                INDArray right = array(tb ? transpose(b) : b, type);
                check(left, ta, right, tb, type);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void viewsAndColumnMajorOperands(DataType type) {
        INDArray base = array(random(60, 80, rng), type);
        INDArray columnSlice = base.get(NDArrayIndex.all(), NDArrayIndex.interval(10, 50)); // 60 x 40, strided
        INDArray rowSlice = base.get(NDArrayIndex.interval(20, 60), NDArrayIndex.all()); // 40 x 80, offset
        INDArray everyOtherColumn = base.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2, 80)); // 60 x 40
        INDArray transposedView = base.transpose(); // 80 x 60
        INDArray columnMajor = base.dup('f');
        check(columnSlice, false, rowSlice, false, type);
        check(columnSlice, true, everyOtherColumn, false, type);
        check(transposedView, false, columnSlice, false, type);
        check(columnMajor, true, transposedView, true, type);
        check(columnMajor, false, columnMajor, true, type);
        check(rowSlice, true, everyOtherColumn, true, type);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void vectorsAndEmptyInnerDimension(DataType type) {
        check(array(random(1, 9, rng), type), false, array(random(9, 1, rng), type), false, type);
        check(array(random(9, 1, rng), type), false, array(random(1, 4, rng), type), false, type);
        INDArray zeros = la.matmul(Nd4j.create(type, 3, 0), false, Nd4j.create(type, 0, 2), false);
        assertThat(zeros.shape()).containsExactly(3, 2);
        assertThat(zeros.sumNumber().doubleValue()).isZero();
    }

    @Test
    void mismatchedShapesAndTypesAreRejected() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 4, 5);
        INDArray b = Nd4j.rand(DataType.FLOAT, 6, 3);
        assertThatThrownBy(() -> la.matmul(a, false, b, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inner dimensions differ")
                .hasMessageContaining("4 x 5").hasMessageContaining("6 x 3");
        assertThatThrownBy(() -> la.matmul(a, false, b.castTo(DataType.DOUBLE), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data type");
        assertThatThrownBy(() -> la.matmul(a.castTo(DataType.INT32), false, b.castTo(DataType.INT32), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FLOAT or DOUBLE");
        assertThatThrownBy(() -> la.matmul(Nd4j.rand(DataType.FLOAT, 5), false, b, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("matrix");
    }

    private void check(INDArray a, boolean ta, INDArray b, boolean tb, DataType type) {
        double[][] av = values(a);
        double[][] bv = values(b);
        INDArray aBefore = a.dup();
        double[][] expected = multiply(ta ? transpose(av) : av, tb ? transpose(bv) : bv);
        INDArray c = la.matmul(a, ta, b, tb);
        assertThat(c.dataType()).isEqualTo(type);
        assertThat(c.shape()).containsExactly(expected.length, expected[0].length);
        int k = ta ? av.length : av[0].length;
        double bound = SAFETY * unitRoundoff(type) * k * frobenius(av) * frobenius(bv);
        assertThat(frobeniusOfDifference(values(c), expected)).as("‖C − C_ref‖_F, ta=%s tb=%s", ta, tb)
                .isLessThanOrEqualTo(bound);
        assertThat(a.equals(aBefore)).as("input unchanged").isTrue();
    }
}
