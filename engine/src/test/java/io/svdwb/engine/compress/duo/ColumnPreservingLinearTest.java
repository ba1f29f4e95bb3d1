package io.svdwb.engine.compress.duo;

import static io.svdwb.engine.compress.duo.DuoTestMatrices.LA;
import static io.svdwb.engine.compress.duo.DuoTestMatrices.frobenius;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.model.ColumnPreservingLinear;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LowRankLinear;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The module built from the factors computes W' x + b. Tolerance 1e-5 relative (Frobenius over a batch):
 * the module holds FLOAT factors (rounding 6e-8 relative each) and sums at most 80 products per output in
 * float32, ~sqrt(80)·6e-8 ≈ 5e-7 relative for well-scaled data; the reference is W' x + b in double. A wrong
 * column gather or a missing C term is an O(1) error.
 */
class ColumnPreservingLinearTest {

    private static final double TOL = 1e-5;

    private static ColumnPreservingFactors plantedFactors() {
        INDArray w = DuoTestMatrices.plantColumns(DuoTestMatrices.lowRankPlusNoise(60, 80, 10, 1), new int[] {3, 17, 18, 41, 62, 79}, 2, 7);
        DuoTestMatrices.Problem p = DuoTestMatrices.Problem.of(w, 9);
        return ColumnPreservingSvd.decompose(LA, p.w(), p.h(), 12, ColumnPreservingSvd.Options.REFERENCE, "L0.q");
    }

    @Test
    void forwardEqualsTheDenseEquivalentTimesX() {
        ColumnPreservingFactors f = plantedFactors();
        INDArray bias = DuoTestMatrices.gaussian(1, 60, 4);
        Linear linear = f.toLinear(bias, LA);
        assertThat(linear).isInstanceOf(ColumnPreservingLinear.class);
        INDArray x = DuoTestMatrices.gaussian(17, 80, 5);

        INDArray y = linear.forward(x.castTo(DataType.FLOAT)).castTo(DataType.DOUBLE);
        INDArray expected = LA.matmul(x, false, f.denseEquivalent(LA), true).addiRowVector(bias);
        assertThat(frobenius(y.sub(expected)) / frobenius(expected)).isLessThan(TOL);

        ColumnPreservingLinear cp = (ColumnPreservingLinear) linear;
        assertThat(cp.storedWeightParameters()).isEqualTo(f.stored());
        assertThat(cp.keptColumns()).containsExactly(f.keptColumns());
        assertThat(cp.rank()).isEqualTo(f.kc());
        INDArray dense = cp.denseWeight().castTo(DataType.DOUBLE);
        assertThat(frobenius(dense.sub(f.denseEquivalent(LA))) / frobenius(f.denseEquivalent(LA))).isLessThan(TOL);
    }

    @Test
    void withoutKeptColumnsTheModuleIsAPlainLowRankLinear() {
        DuoTestMatrices.Problem p = DuoTestMatrices.Problem.of(DuoTestMatrices.lowRankPlusNoise(30, 40, 12, 3), 4);
        ColumnPreservingFactors f = ColumnPreservingSvd.decompose(LA, p.w(), p.h(), 6, ColumnPreservingSvd.Options.REFERENCE, "L1.o");
        assertThat(f.q()).isZero();
        Linear linear = f.toLinear(null, LA);
        assertThat(linear).isInstanceOf(LowRankLinear.class);
        assertThat(linear.storedWeightParameters()).isEqualTo(f.stored());
    }

    @Test
    void keptIndicesThatAreUnsortedRepeatedOrOutOfRangeAreRefused() {
        INDArray a = DuoTestMatrices.gaussian(4, 2, 1).castTo(DataType.FLOAT);
        INDArray b = DuoTestMatrices.gaussian(2, 4, 2).castTo(DataType.FLOAT);
        INDArray c = DuoTestMatrices.gaussian(4, 2, 3).castTo(DataType.FLOAT);
        new ColumnPreservingLinear(a, b, c, new int[] {1, 5}, null, LA);
        for (int[] bad : new int[][] {{5, 1}, {2, 2}, {1, 6}, {-1, 2}}) {
            assertThatThrownBy(() -> new ColumnPreservingLinear(a, b, c, bad, null, LA))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly ascending");
        }
        assertThatThrownBy(() -> new ColumnPreservingLinear(a, b, c, new int[] {1}, null, LA))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 kept column indices for C with 2 columns");
    }
}
