package io.svdwb.engine.compress.kernels;

import static io.svdwb.engine.compress.kernels.KernelTestMatrices.frobenius;
import static io.svdwb.engine.compress.kernels.KernelTestMatrices.gaussian;
import static io.svdwb.engine.compress.kernels.KernelTestMatrices.relativeDifference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.linalg.SvdResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * docs/METHODS.md §3.4. Tolerance 1e-8 relative (to ‖W X‖_F or ‖W‖_F) in double, as the spec's ResSVD test
 * asks: the computed quantities pass through a Cholesky, an SVD and a triangular solve, each backward
 * stable with error ~ n·u ≈ 1e-14, amplified at most by κ(S) = κ(X) ≈ 5 for a 3n-column Gaussian X;
 * 1e-8 leaves a wide margin and still fails on any formula error (those are O(1)).
 */
class WhitenedSvdTest {

    private static final double TOL = 1e-8;
    private final LinearAlgebra la = LinearAlgebra.cpu();

    private record Problem(INDArray w, INDArray x, INDArray s) {
    }

    private Problem problem(int m, int n, long seed) {
        INDArray w = gaussian(m, n, seed);
        INDArray x = gaussian(n, 3 * n, seed + 1); // full row rank
        INDArray s = la.cholesky(la.gram(x));
        return new Problem(w, x, s);
    }

    @ParameterizedTest
    @CsvSource({"40, 30", "20, 50"})
    void outputErrorEqualsTheTruncatedSingularValues(int m, int n) {
        Problem p = problem(m, n, 21);
        LowRankDecomposition dec = WhitenedSvd.decompose(la, p.w(), p.s(), "L0.q");
        assertThat(dec.kind()).isEqualTo(LowRankDecomposition.Kind.WHITENED);
        // the stored spectrum is the spectrum of W S, computed independently
        double[] expected = la.singularValues(la.matmul(p.w(), false, p.s(), false)).toDoubleVector();
        double[] sigma = dec.singularValues();
        for (int i = 0; i < sigma.length; i++) {
            assertThat(Math.abs(sigma[i] - expected[i])).isLessThan(TOL * expected[0]);
        }
        double scale = frobenius(la.matmul(p.w(), false, p.x(), false));
        for (int k : new int[] {1, 2, 5, dec.fullRank() / 2, dec.fullRank() - 1, dec.fullRank()}) {
            INDArray approx = dec.truncate(k).product(la);
            double err = frobenius(la.matmul(p.w().sub(approx), false, p.x(), false));
            double tail = 0;
            for (int i = k; i < expected.length; i++) {
                tail += expected[i] * expected[i];
            }
            assertThat(Math.abs(err - Math.sqrt(tail)) / scale).as("k=%d", k).isLessThan(TOL);
            assertThat(Math.abs(dec.truncationLoss(k) - Math.sqrt(tail)) / scale).isLessThan(TOL);
        }
    }

    /** truncate(k) slices; it must equal the spec's from-scratch formula solve(Sᵀ, V_k sqrt(Σ_k))ᵀ. */
    @Test
    void truncateEqualsRecomputingFromScratch() {
        Problem p = problem(40, 30, 31);
        LowRankDecomposition dec = WhitenedSvd.decompose(la, p.w(), p.s(), "L0.k");
        for (int k : new int[] {1, 4, 13, 29}) {
            SvdResult svd = la.svd(la.matmul(p.w(), false, p.s(), false));
            INDArray root = Transforms.sqrt(svd.s().get(NDArrayIndex.interval(0, k))).reshape(1, k);
            INDArray a = svd.u().get(NDArrayIndex.all(), NDArrayIndex.interval(0, k)).mulRowVector(root);
            INDArray vk = svd.vt().get(NDArrayIndex.interval(0, k), NDArrayIndex.all()).transpose().mulRowVector(root);
            INDArray b = la.solveTriangular(p.s(), true, true, vk, true).transpose();
            INDArray scratch = la.matmul(a, false, b, false);
            LowRankFactors f = dec.truncate(k);
            assertThat(f.rank()).isEqualTo(k);
            assertThat(f.a().shape()).containsExactly(40, k);
            assertThat(f.b().shape()).containsExactly(k, 30);
            assertThat(relativeDifference(f.product(la), scratch)).isLessThan(TOL);
            // and a fresh decomposition truncated at k
            assertThat(relativeDifference(WhitenedSvd.decompose(la, p.w(), p.s(), "L0.k").truncate(k).product(la), scratch))
                    .isLessThan(TOL);
        }
    }

    @Test
    void fullRankGivesWBack() {
        Problem p = problem(40, 30, 41);
        LowRankDecomposition dec = WhitenedSvd.decompose(la, p.w(), p.s(), "L0.v");
        assertThat(relativeDifference(dec.truncate(dec.fullRank()).product(la), p.w())).isLessThan(TOL);
    }

    @Test
    void floatInputAndFloatFactors() {
        Problem p = problem(20, 16, 51);
        LowRankDecomposition dec = WhitenedSvd.decompose(la, p.w().castTo(DataType.FLOAT), p.s(), "L0.o");
        LowRankFactors f = dec.truncate(5);
        assertThat(f.a().dataType()).isEqualTo(DataType.DOUBLE);
        LowRankFactors single = f.asFloat();
        assertThat(single.a().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(single.b().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(single.stored()).isEqualTo(5L * (20 + 16));
        // float rounding only: relative 1e-6 >> u_float = 6e-8 times a few ops
        assertThat(relativeDifference(single.product(la).castTo(DataType.DOUBLE), f.product(la))).isLessThan(1e-6);
    }

    @Test
    void onlyTheLowerTriangleOfSIsUsed() {
        Problem p = problem(20, 16, 61);
        INDArray junk = gaussian(16, 16, 62);
        INDArray withJunk = p.s().dup();
        for (int i = 0; i < 16; i++) {
            for (int j = i + 1; j < 16; j++) {
                withJunk.putScalar(i, j, junk.getDouble(i, j));
            }
        }
        INDArray clean = WhitenedSvd.decompose(la, p.w(), p.s(), "L0.q").truncate(7).product(la);
        INDArray dirty = WhitenedSvd.decompose(la, p.w(), withJunk, "L0.q").truncate(7).product(la);
        assertThat(relativeDifference(dirty, clean)).isLessThan(TOL);
    }

    @Test
    void invalidArgumentsAreClear() {
        Problem p = problem(20, 16, 71);
        LowRankDecomposition dec = WhitenedSvd.decompose(la, p.w(), p.s(), "L2.q");
        assertThatThrownBy(() -> dec.truncate(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("L2.q");
        assertThatThrownBy(() -> dec.truncate(17)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WhitenedSvd.decompose(la, p.w(), gaussian(20, 20, 1), "L2.q"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("L2.q");
    }

    @Test
    void nonFiniteWeightIsRejectedByName() {
        Problem p = problem(20, 16, 81);
        INDArray w = p.w().dup();
        w.putScalar(2, 5, Double.NaN);
        assertThatThrownBy(() -> WhitenedSvd.decompose(la, w, p.s(), "L9.gate"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("L9.gate").hasMessageContaining("non-finite").hasMessageContaining("(2, 5)");
    }

    /** A subnormal S: the solve for Vᵀ S⁻¹ overflows; the kernel must refuse, not return Inf factors. */
    @Test
    void overflowingFactorsAreRefusedByName() {
        Problem p = problem(20, 16, 91);
        INDArray tiny = Nd4j.eye(16).castTo(DataType.DOUBLE).muli(1e-320);
        assertThatThrownBy(() -> WhitenedSvd.decompose(la, p.w(), tiny, "L9.up"))
                .isInstanceOf(NonFiniteResultException.class)
                .hasMessageContaining("L9.up").hasMessageContaining("non-finite");
    }
}
