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

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link LinearAlgebra#gram}: bitwise symmetric, and within ‖G − G_ref‖_F ≤ SAFETY·u·n·‖X‖_F² of a
 * double loop (the dot-product bound γ_n|X||Xᵀ|, as for matmul; SAFETY = 2).
 */
abstract class LinearAlgebraGramContract {

    /** The backend under test. */
    protected abstract LinearAlgebra linearAlgebra();


    private static final double SAFETY = 2;
    private final LinearAlgebra la = linearAlgebra();
    private final Random rng = new Random(5L);

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void wideTallAndViewInputs(DataType type) {
        check(array(random(70, 130, rng), type), type);
        check(array(random(150, 20, rng), type), type);
        INDArray base = array(random(90, 110, rng), type);
        check(base.dup('f'), type);
        check(base.transpose(), type);
        check(base.get(NDArrayIndex.interval(5, 65), NDArrayIndex.interval(0, 2, 110)), type);
        check(array(random(1, 40, rng), type), type);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void noColumnsGivesZeros(DataType type) {
        INDArray g = la.gram(Nd4j.create(type, 4, 0));
        assertThat(g.shape()).containsExactly(4, 4);
        assertThat(g.dataType()).isEqualTo(type);
        assertThat(g.sumNumber().doubleValue()).isZero();
    }

    private void check(INDArray x, DataType type) {
        double[][] xv = values(x);
        INDArray g = la.gram(x);
        assertThat(g.dataType()).isEqualTo(type);
        int m = xv.length;
        assertThat(g.shape()).containsExactly(m, m);
        double[][] gv = values(g); // exact: float -> double widening
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < i; j++) {
                assertThat(Double.doubleToRawLongBits(gv[i][j])).as("G[%d][%d] vs G[%d][%d]", i, j, j, i)
                        .isEqualTo(Double.doubleToRawLongBits(gv[j][i]));
            }
        }
        double[][] expected = multiply(xv, transpose(xv));
        double norm = frobenius(xv);
        double bound = SAFETY * unitRoundoff(type) * xv[0].length * norm * norm;
        assertThat(frobeniusOfDifference(gv, expected)).as("‖G − G_ref‖_F").isLessThanOrEqualTo(bound);
    }

    /**
     * Summed block by block into one lower triangle, then mirrored: the Gram of all the blocks' columns together,
     * within the same bound over the total inner dimension, and bitwise symmetric.
     */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void blocksSummedIntoOneTriangleGiveTheGramOfAllColumns(DataType type) {
        int m = 37;
        int[] widths = {50, 1, 90};
        double[][] all = new double[m][0];
        INDArray accumulator = Nd4j.zeros(type, m, m);
        for (int width : widths) {
            double[][] block = random(m, width, rng);
            INDArray x = array(block, type);
            // a stored transpose, as calibration passes its activation blocks
            la.addGramLower(x.dup('f'), accumulator);
            double[][] blockValues = values(x);
            for (int i = 0; i < m; i++) {
                double[] row = java.util.Arrays.copyOf(all[i], all[i].length + width);
                System.arraycopy(blockValues[i], 0, row, all[i].length, width);
                all[i] = row;
            }
        }
        LinearAlgebra.mirrorLowerToUpper(accumulator);
        double[][] gv = values(accumulator);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < i; j++) {
                assertThat(Double.doubleToRawLongBits(gv[i][j])).isEqualTo(Double.doubleToRawLongBits(gv[j][i]));
            }
        }
        double norm = frobenius(all);
        double bound = SAFETY * unitRoundoff(type) * all[0].length * norm * norm;
        assertThat(frobeniusOfDifference(gv, multiply(all, transpose(all)))).isLessThanOrEqualTo(bound);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void anAccumulatorThatIsNotDenseRowMajorIsRefused(DataType type) {
        INDArray x = array(random(5, 3, rng), type);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> la.addGramLower(x, Nd4j.zeros(type, 5, 5).dup('f')))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row-major");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> la.addGramLower(x, Nd4j.zeros(type, 4, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 x 5");
    }

    /** The tiled, parallel mirror over several 64 x 64 tiles and a ragged edge: upper = lower exactly, lower untouched. */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void mirroringCopiesTheLowerTriangleAcrossTiles(DataType type) {
        int m = 203;
        double[][] values = random(m, m, rng);
        INDArray x = array(values, type).dup('c');
        double[][] before = values(x);
        LinearAlgebra.mirrorLowerToUpper(x);
        double[][] after = values(x);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j <= i; j++) {
                assertThat(after[i][j]).isEqualTo(before[i][j]);
                assertThat(Double.doubleToRawLongBits(after[j][i])).as("(%d, %d)", j, i)
                        .isEqualTo(Double.doubleToRawLongBits(before[i][j]));
            }
        }
    }

    /**
     * (A + Aᵀ)/2 over several tiles and a ragged edge, for a row-major array and a transposed view: every element is
     * (a_ij + a_ji)·0.5 exactly (one rounding, as the formula), and an exactly symmetric input comes back bit for bit.
     */
    @org.junit.jupiter.api.Test
    void theSymmetricPartIsExactAcrossTilesAndKeepsASymmetricMatrix() {
        int m = 203;
        double[][] a = random(m, m, rng);
        for (INDArray input : new INDArray[] {array(a, DataType.DOUBLE).dup('c'), array(transpose(a), DataType.DOUBLE).transpose()}) {
            double[][] sym = values(LinearAlgebra.symmetricPart(input));
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    assertThat(sym[i][j]).as("(%d, %d)", i, j).isEqualTo((a[i][j] + a[j][i]) * 0.5);
                }
            }
            assertThat(values(input)).as("input kept").isEqualTo(a);
        }
        INDArray symmetric = LinearAlgebra.symmetricPart(array(a, DataType.DOUBLE));
        INDArray again = LinearAlgebra.symmetricPart(symmetric);
        double[] x = symmetric.data().asDouble();
        double[] y = again.data().asDouble();
        for (int k = 0; k < x.length; k++) {
            assertThat(Double.doubleToRawLongBits(y[k])).isEqualTo(Double.doubleToRawLongBits(x[k]));
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LinearAlgebra.symmetricPart(array(a, DataType.FLOAT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DOUBLE");
    }
}
