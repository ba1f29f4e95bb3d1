package io.svdwb.engine.compress.kernels;

import static io.svdwb.engine.compress.kernels.KernelTestMatrices.frobenius;
import static io.svdwb.engine.compress.kernels.KernelTestMatrices.gaussian;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.linalg.LinearAlgebra;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * docs/METHODS.md §3.3. Tolerance 1e-10 relative on {@code S Sᵀ − (H + shift I)}: Cholesky is backward
 * stable, ‖LLᵀ − A‖ ≤ (n+1)·u·‖A‖ ≈ 61 · 1.1e-16 ≈ 7e-15 for n = 60 (Higham Thm 10.3), so 1e-10 leaves
 * four orders of margin while still catching any wrong shift (the smallest shift tested is 1e-6 relative).
 */
class WhiteningTest {

    private static final double TOL = 1e-10;
    private final LinearAlgebra la = LinearAlgebra.cpu();

    private static INDArray plusShift(INDArray h, double shift) {
        return h.add(Nd4j.eye(h.rows()).castTo(DataType.DOUBLE).muli(shift));
    }

    private double reconstructionError(Whitening.Result r, INDArray h) {
        INDArray sst = la.matmul(r.factor(), false, r.factor(), true);
        return frobenius(sst.sub(plusShift(h, r.shift()))) / frobenius(h);
    }

    /** X of full row rank (60 x 200): H = X Xᵀ is SPD. */
    private INDArray spd() {
        return la.gram(gaussian(60, 200, 11));
    }

    /** A dead input channel (zero row of X) and rank 20 < 60: H is exactly singular PSD. */
    private INDArray singular() {
        INDArray x = gaussian(60, 20, 12);
        x.getRow(0).assign(0);
        return la.gram(x);
    }

    @Test
    void spdWithoutRidgeTakesThePlainPath() {
        INDArray h = spd();
        Whitening.Result r = Whitening.factor(la, h, "L0.q", Whitening.Options.DEFAULT.withInitialRelativeRidge(0));
        assertThat(r.path()).isEqualTo(Whitening.Path.PLAIN);
        assertThat(r.shift()).isZero();
        assertThat(r.usedFallback()).isFalse();
        assertThat(reconstructionError(r, h)).isLessThan(TOL);
        // lower triangular: the strict upper triangle is zero
        INDArray s = r.factor();
        for (int i = 0; i < s.rows(); i++) {
            for (int j = i + 1; j < s.columns(); j++) {
                assertThat(s.getDouble(i, j)).isZero();
            }
        }
    }

    @Test
    void defaultAddsTheReportedRelativeRidge() {
        INDArray h = spd();
        Whitening.Result r = Whitening.factor(la, h, "L0.q");
        assertThat(r.path()).isEqualTo(Whitening.Path.RIDGE);
        assertThat(r.relativeShift()).isCloseTo(1e-6, org.assertj.core.api.Assertions.within(1e-18));
        assertThat(reconstructionError(r, h)).isLessThan(TOL);
    }

    @Test
    void singularGramFallsBackToDampingAndReportsIt() {
        INDArray h = singular();
        Whitening.Result r = Whitening.factor(la, h, "L3.down", Whitening.Options.DUO_SVD);
        assertThat(r.path()).isEqualTo(Whitening.Path.DAMPING);
        assertThat(r.usedFallback()).isTrue();
        assertThat(r.failedMinor()).isEqualTo(1); // the dead channel is the first pivot
        assertThat(r.relativeShift()).isCloseTo(0.05, org.assertj.core.api.Assertions.within(1e-15));
        assertThat(r.factor().isInfinite().any() || r.factor().isNaN().any()).isFalse();
        assertThat(reconstructionError(r, h)).isLessThan(TOL);
    }

    @Test
    void singularGramWithEigenShiftFallback() {
        INDArray h = singular();
        Whitening.Result r = Whitening.factor(la, h, "L3.down", Whitening.Options.SVD_LLM);
        assertThat(r.path()).isEqualTo(Whitening.Path.EIGEN_SHIFT);
        // lambda_min is 0 up to rounding, so the shift is the 1e-6 floor up to rounding of ‖H‖
        assertThat(r.shift()).isBetween(1e-6, 1e-6 + 1e-10 * frobenius(h));
        assertThat(reconstructionError(r, h)).isLessThan(TOL);
    }

    @Test
    void singularGramWithDefaultRidgeIsReported() {
        INDArray h = singular();
        Whitening.Result r = Whitening.factor(la, h, "L3.down");
        assertThat(r.path()).isIn(Whitening.Path.RIDGE, Whitening.Path.DAMPING);
        assertThat(r.shift()).isPositive();
        assertThat(reconstructionError(r, h)).isLessThan(TOL);
    }

    @Test
    void noFallbackLeftIsAClearError() {
        Whitening.Options none = new Whitening.Options(0, List.of(), 0.05, 1e-6);
        assertThatThrownBy(() -> Whitening.factor(la, singular(), "L3.down", none))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("L3.down").hasMessageContaining("every attempt failed");
    }

    @Test
    void asymmetryIsAveragedAway() {
        INDArray h = spd();
        INDArray skew = gaussian(60, 60, 13).muli(1e-3);
        INDArray perturbed = h.add(skew.sub(skew.transpose()));
        Whitening.Result r = Whitening.factor(la, perturbed, "L0.q", Whitening.Options.DUO_SVD);
        assertThat(r.path()).isEqualTo(Whitening.Path.PLAIN);
        assertThat(reconstructionError(r, h)).isLessThan(TOL);
    }

    @Test
    void nonFiniteGramIsAClearError() {
        INDArray h = spd();
        h.putScalar(3, 4, Double.NaN);
        assertThatThrownBy(() -> Whitening.factor(la, h, "L7.o"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("L7.o").hasMessageContaining("non-finite").hasMessageContaining("(3, 4)");
        INDArray g = spd();
        g.putScalar(0, 0, Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> Whitening.factor(la, g, "L7.o")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-finite");
    }

    @Test
    void zeroGramHasNoSignal() {
        assertThatThrownBy(() -> Whitening.factor(la, Nd4j.zeros(DataType.DOUBLE, 5, 5), "L1.v"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("L1.v");
    }
}
