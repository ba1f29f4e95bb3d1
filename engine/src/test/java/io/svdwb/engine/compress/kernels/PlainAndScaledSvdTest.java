package io.svdwb.engine.compress.kernels;

import static io.svdwb.engine.compress.kernels.KernelTestMatrices.frobenius;
import static io.svdwb.engine.compress.kernels.KernelTestMatrices.gaussian;
import static io.svdwb.engine.compress.kernels.KernelTestMatrices.relativeDifference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.linalg.LinearAlgebra;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * docs/METHODS.md §4.1-4.3. Tolerances: 1e-10 relative for identities that go through one backward-stable
 * SVD (error ~ n·u·‖W‖ ≈ 1e-14 at these sizes) and one matrix product; generous enough for any BLAS,
 * tight enough that any wrong scaling or factor split (errors O(1)) fails.
 */
class PlainAndScaledSvdTest {

    private static final LinearAlgebra LA = LinearAlgebra.cpu();

    private static final double TOL = 1e-10;
    private static final int[] RANKS = {1, 3, 10, 24, 25};

    private static double[] positive(int n, long seed) {
        Random rng = new Random(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = 0.1 + 3 * rng.nextDouble();
        }
        return d;
    }

    @Test
    void eckartYoung() {
        INDArray w = gaussian(40, 25, 101);
        LowRankDecomposition dec = PlainSvd.decompose(LA, w, "L0.q");
        double[] sigma = LinearAlgebra.cpu().singularValues(w).toDoubleVector();
        double norm2 = frobenius(w) * frobenius(w);
        for (int k : RANKS) {
            double err = frobenius(w.sub(dec.truncate(k).product(LA)));
            double tail = 0;
            for (int i = k; i < sigma.length; i++) {
                tail += sigma[i] * sigma[i];
            }
            assertThat(Math.abs(err * err - tail) / norm2).as("k=%d", k).isLessThan(TOL);
            assertThat(Math.abs(dec.truncationLoss(k) * dec.truncationLoss(k) - tail) / norm2).isLessThan(TOL);
        }
    }

    @Test
    void identityScalingEqualsPlain() {
        INDArray w = gaussian(40, 25, 102);
        LowRankDecomposition plain = PlainSvd.decompose(LA, w, "L0.q");
        double[] ones25 = new double[25];
        double[] ones40 = new double[40];
        Arrays.fill(ones25, 1);
        Arrays.fill(ones40, 1);
        // uniform activations: s_j = const, a uniform scale does not change A B
        double[] uniform = new double[25];
        Arrays.fill(uniform, 7.5);
        LowRankDecomposition[] scaled = {
            ScaledSvd.columnScaled(LA, w, ones25, "L0.q"),
            ScaledSvd.rowScaled(LA, w, ones40, "L0.q"),
            AsvdScaling.decompose(LA, w, uniform, AsvdScaling.DEFAULT_ALPHA, "L0.q"),
            FisherWeighting.decompose(LA, w, uniform, FisherWeighting.Orientation.INPUT_COLUMNS,
                    FisherWeighting.DEFAULT_EXPONENT, "L0.q"),
            FisherWeighting.decompose(LA, w, new double[40], FisherWeighting.Orientation.OUTPUT_ROWS,
                    FisherWeighting.DEFAULT_EXPONENT, "L0.q")};
        for (LowRankDecomposition dec : scaled) {
            for (int k : RANKS) {
                assertThat(relativeDifference(dec.truncate(k).product(LA), plain.truncate(k).product(LA)))
                        .as("%s k=%d", dec.kind(), k).isLessThan(TOL);
            }
        }
    }

    /** Column scaling: the truncation loss is the error in the scaled metric ‖(W − W_k) diag(d)‖_F. */
    @Test
    void columnScaledLossAndUnscaling() {
        INDArray w = gaussian(40, 25, 103);
        double[] d = positive(25, 104);
        LowRankDecomposition dec = ScaledSvd.columnScaled(LA, w, d, "L1.o");
        INDArray dRow = Nd4j.createFromArray(d).reshape(1, 25);
        double scale = frobenius(w.mulRowVector(dRow));
        for (int k : RANKS) {
            double err = frobenius(w.sub(dec.truncate(k).product(LA)).mulRowVector(dRow));
            assertThat(Math.abs(err - dec.truncationLoss(k)) / scale).as("k=%d", k).isLessThan(TOL);
        }
        assertThat(relativeDifference(dec.truncate(25).product(LA), w)).isLessThan(TOL);
    }

    /** Row weighting (FWSVD per output row): loss = ‖diag(d)(W − W_k)‖_F. */
    @Test
    void rowScaledLossAndUnscaling() {
        INDArray w = gaussian(40, 25, 105);
        double[] fisher = positive(40, 106);
        LowRankDecomposition dec = FisherWeighting.decompose(LA, w, fisher, FisherWeighting.Orientation.OUTPUT_ROWS,
                FisherWeighting.DEFAULT_EXPONENT, "L1.down");
        assertThat(dec.kind()).isEqualTo(LowRankDecomposition.Kind.ROW_SCALED);
        INDArray dCol = Nd4j.createFromArray(FisherWeighting.weights(fisher, 1)).reshape(40, 1);
        double scale = frobenius(w.mulColumnVector(dCol));
        for (int k : RANKS) {
            double err = frobenius(w.sub(dec.truncate(k).product(LA)).mulColumnVector(dCol));
            assertThat(Math.abs(err - dec.truncationLoss(k)) / scale).as("k=%d", k).isLessThan(TOL);
        }
        assertThat(relativeDifference(dec.truncate(25).product(LA), w)).isLessThan(TOL);
    }

    @Test
    void asvdScalesFollowTheSpec() {
        // s_j = a_j^0.5 + 1e-6: sqrt(4) + 1e-6, 0 + 1e-6 (a dead channel stays invertible)
        assertThat(AsvdScaling.channelScales(new double[] {4, 0})).containsExactly(2 + 1e-6, 1e-6);
        assertThat(AsvdScaling.channelScales(new double[] {8}, 1.0 / 3)[0]).isCloseTo(2 + 1e-6,
                org.assertj.core.api.Assertions.within(1e-14));
        // d_j = sqrt(f_j) + 1e-6 with exponent 1
        assertThat(FisherWeighting.weights(new double[] {9}, 1)).containsExactly(3 + 1e-6);
    }

    @Test
    void invalidScalesAndWeightsAreClear() {
        INDArray w = gaussian(10, 8, 107);
        assertThatThrownBy(() -> ScaledSvd.columnScaled(LA, w, new double[7], "L4.q"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("L4.q");
        double[] bad = positive(8, 1);
        bad[3] = -1;
        assertThatThrownBy(() -> ScaledSvd.columnScaled(LA, w, bad, "L4.q"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[3]");
        assertThatThrownBy(() -> AsvdScaling.channelScales(new double[] {Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class);
        INDArray inf = w.dup();
        inf.putScalar(9, 7, Double.NEGATIVE_INFINITY);
        assertThatThrownBy(() -> PlainSvd.decompose(LA, inf, "L4.k"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("L4.k").hasMessageContaining("(9, 7)");
        assertThatThrownBy(() -> AsvdScaling.decompose(LA, inf, positive(8, 2), 0.5, "L4.v"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("L4.v");
    }
}
