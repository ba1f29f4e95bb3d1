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
 * {@link LinearAlgebra#multiplyLowerTriangular}, checked against the product in double on the host. Every entry of a
 * computed product has an error of at most γ_n Σ|a_ik||l_kj| (Higham §3.5), so by Cauchy-Schwarz
 * ‖fl(aL) − aL‖_F ≤ SAFETY·u·n·‖a‖_F‖L‖_F with SAFETY = 2; a wrong triangle, side or transpose is O(1).
 */
abstract class LinearAlgebraTriangularProductContract {

    /** The backend under test. */
    protected abstract LinearAlgebra linearAlgebra();

    private static final double SAFETY = 2;
    private final LinearAlgebra la = linearAlgebra();
    private final Random rng = new Random(29L);

    private double[][] lowerTriangle(int n) {
        double[][] t = random(n, n, rng);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                t[i][j] = 0;
            }
        }
        return t;
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void rowAndColumnMajorTallAndWide(DataType type) {
        for (int rows : new int[] {1, 23, 70}) {
            double[][] l = lowerTriangle(45);
            INDArray a = array(random(rows, 45, rng), type);
            check(a, array(l, type), type);
            check(a, array(l, type).dup('f'), type);
            check(a.dup('f'), array(l, type), type);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void viewOperands(DataType type) {
        int n = 30;
        INDArray lowerAsTransposedView = array(transpose(lowerTriangle(n)), type).transpose();
        INDArray base = array(random(40, 2 * n, rng), type);
        INDArray aView = base.get(NDArrayIndex.interval(3, 33), NDArrayIndex.interval(0, 2, 2 * n));
        check(aView, lowerAsTransposedView, type);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void noRowsGiveAnEmptyProduct(DataType type) {
        INDArray a = org.nd4j.linalg.factory.Nd4j.create(type, 0, 4);
        INDArray product = la.multiplyLowerTriangular(a, array(lowerTriangle(4), type));
        assertThat(product.shape()).containsExactly(0, 4);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void mismatchedInputsAreRejected(DataType type) {
        INDArray a = array(random(3, 4, rng), type);
        assertThatThrownBy(() -> la.multiplyLowerTriangular(a, array(lowerTriangle(3), type)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a left factor with 3 columns, got [3, 4]");
        assertThatThrownBy(() -> la.multiplyLowerTriangular(a, array(random(4, 3, rng), type)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("square");
        DataType other = type == DataType.FLOAT ? DataType.DOUBLE : DataType.FLOAT;
        assertThatThrownBy(() -> la.multiplyLowerTriangular(a, array(lowerTriangle(4), other)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private void check(INDArray a, INDArray lower, DataType type) {
        double[][] av = values(a);
        double[][] lv = values(lower);
        INDArray aBefore = a.dup();
        INDArray product = la.multiplyLowerTriangular(a, lower);
        assertThat(product.dataType()).isEqualTo(type);
        assertThat(product.shape()).containsExactly(a.rows(), lower.columns());
        double bound = SAFETY * unitRoundoff(type) * lv.length * frobenius(av) * frobenius(lv);
        assertThat(frobeniusOfDifference(values(product), multiply(av, lv))).isLessThanOrEqualTo(bound);
        assertThat(a.equals(aBefore)).as("a unchanged").isTrue();
    }
}
