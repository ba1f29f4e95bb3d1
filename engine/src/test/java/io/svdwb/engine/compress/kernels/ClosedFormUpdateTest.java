package io.svdwb.engine.compress.kernels;

import static io.svdwb.engine.compress.kernels.KernelTestMatrices.frobenius;
import static io.svdwb.engine.compress.kernels.KernelTestMatrices.gaussian;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.linalg.LinearAlgebra;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * docs/METHODS.md §4.4, the closed-form update {@code A = W K Bᵀ (B Hc Bᵀ)⁻¹}. References: EJML's Householder-QR
 * least squares on the explicit token matrices (a different route from our normal equations through Grams), the
 * optimality of the whitened truncation when Xc = X (a theorem, §3.4), and explicit token-level residuals.
 */
class ClosedFormUpdateTest {

    private final LinearAlgebra la = LinearAlgebra.cpu();

    /** W (m x n), original inputs X (n x T) and compressed inputs Xc = X + noise, a fixed B (k x n). */
    private record Problem(INDArray w, INDArray x, INDArray xc, INDArray b) {
    }

    private Problem problem(int m, int n, int tokens, int k, double noise, long seed) {
        INDArray w = gaussian(m, n, seed);
        INDArray x = gaussian(n, tokens, seed + 1);
        INDArray xc = x.add(gaussian(n, tokens, seed + 2).muli(noise));
        INDArray b = gaussian(k, n, seed + 3);
        return new Problem(w, x, xc, b);
    }

    /** ||W X - A B Xc||_F from the token matrices themselves. */
    private double tokenError(Problem p, INDArray a) {
        INDArray y = la.matmul(p.w(), false, p.x(), false);
        INDArray fit = la.matmul(a, false, la.matmul(p.b(), false, p.xc(), false), false);
        return frobenius(y.sub(fit));
    }

    private ClosedFormUpdate.Result solve(Problem p) {
        return ClosedFormUpdate.solve(la, p.w(), la.matmul(p.x(), false, p.xc(), true), p.b(), la.gram(p.xc()), "L0.q");
    }

    @Test
    void theClosedFormEqualsTheQrLeastSquaresSolutionOfTheTokenProblem() {
        Problem p = problem(24, 16, 200, 6, 0.3, 11);
        INDArray a = solve(p).a();
        // EJML: min ||Z Aᵀ - Yᵀ|| with Z = (B Xc)ᵀ (T x k) and Y = W X, by Householder QR (no Gram is formed)
        DMatrixRMaj z = ejml(la.matmul(p.b(), false, p.xc(), false).transpose());
        DMatrixRMaj yt = ejml(la.matmul(p.w(), false, p.x(), false).transpose());
        LinearSolverDense<DMatrixRMaj> qr = LinearSolverFactory_DDRM.leastSquares(z.numRows, z.numCols);
        assertThat(qr.setA(z)).isTrue();
        DMatrixRMaj at = new DMatrixRMaj(z.numCols, yt.numCols);
        qr.solve(yt, at);
        INDArray expected = Nd4j.createFromArray(toRows(at)).transpose();
        // The normal equations square the condition number of Z (about 3-5 for Gaussian data with T = 33 k): the
        // error is ~ κ(Z)² u ≈ 1e-14 relative; 1e-9 leaves a wide margin and still fails on any formula error (O(1)).
        assertThat(frobenius(a.sub(expected)) / frobenius(expected)).isLessThan(1e-9);
    }

    @Test
    void withUnchangedInputsTheWhitenedTruncationIsAlreadyOptimal() {
        // Xc = X: A = U_k sqrt(Sigma_k) of the whitened SVD minimises ||W X - A B X|| for its own B (§3.4), so the
        // update must give back the same product A B.
        Problem p = problem(30, 20, 90, 7, 0, 23);
        INDArray h = la.gram(p.x());
        LowRankDecomposition d = WhitenedSvd.decompose(la, p.w(), la.cholesky(h), "L0.q");
        LowRankFactors whitened = d.truncate(7);
        INDArray a = ClosedFormUpdate.solve(la, p.w(), h, whitened.b(), h, "L0.q").a();
        INDArray before = whitened.product(la);
        INDArray after = la.matmul(a, false, whitened.b(), false);
        // Cholesky, SVD, triangular solves and the k x k normal equations, each backward stable, with κ(X) ≈ 5
        // (T = 4.5 n Gaussian): errors ~ 1e-13; 1e-8 relative to ||A B|| as WhitenedSvdTest uses.
        assertThat(frobenius(after.sub(before)) / frobenius(before)).isLessThan(1e-8);
    }

    @Test
    void theUpdateNeverIncreasesTheObjectiveAndItsGradientVanishes() {
        for (long seed = 31; seed < 36; seed++) {
            Problem p = problem(20, 16, 120, 5, 0.5, seed);
            // the starting point SVD-LLM (W) would keep: the whitened truncation on the original inputs
            INDArray s = la.cholesky(la.gram(p.x()));
            LowRankFactors whitened = WhitenedSvd.decompose(la, p.w(), s, "L0.q").truncate(5);
            Problem fixedB = new Problem(p.w(), p.x(), p.xc(), whitened.b());
            INDArray a = solve(fixedB).a();
            double before = tokenError(fixedB, whitened.a());
            double after = tokenError(fixedB, a);
            // a least-squares minimum: not above any other A (a 1e-12 relative slack covers rounding)
            assertThat(after).isLessThanOrEqualTo(before * (1 + 1e-12));
            assertThat(after).isLessThan(before); // with noisy inputs the whitened A is not the minimiser
            // stationarity, from the token matrices: (A B Xc - W X)(B Xc)ᵀ = 0, relative to ||W X|| ||B Xc||
            INDArray z = la.matmul(whitened.b(), false, p.xc(), false);
            INDArray residual = la.matmul(a, false, z, false).sub(la.matmul(p.w(), false, p.x(), false));
            double gradient = frobenius(la.matmul(residual, false, z, true));
            double scale = frobenius(la.matmul(p.w(), false, p.x(), false)) * frobenius(z);
            // rounding of the normal equations: ~ κ(Z)² u relative; 1e-10 leaves margin, a wrong A gives O(0.1)
            assertThat(gradient / scale).isLessThan(1e-10);
        }
    }

    @Test
    void theErrorFromStatisticsEqualsTheTokenLevelError() {
        Problem p = problem(18, 12, 80, 4, 0.4, 41);
        INDArray a = gaussian(18, 4, 42);
        double expected = tokenError(p, a);
        double fromGrams = ClosedFormUpdate.outputError(la, p.w(), la.gram(p.x()), la.matmul(p.x(), false, p.xc(), true),
                new LowRankFactors(a, p.b()), la.gram(p.xc()));
        // a difference of terms of size ||W X||² ≈ ||A B Xc||²: cancellation leaves ~1e-15 of them, i.e. ~1e-8 of the
        // norms after the square root; 1e-7 relative to the error (of the same order as ||W X|| for a random A).
        assertThat(Math.abs(fromGrams - expected) / expected).isLessThan(1e-7);
    }

    @Test
    void aSingularGramGetsTheRidgeAndStillMinimises() {
        // a zero row in B makes row and column 5 of B Hc Bᵀ exactly zero: Cholesky fails for certain at minor 5 and
        // the 1e-6 relative ridge is used; that component's column of A is then 0 (its right-hand side is 0)
        Problem p = problem(10, 12, 60, 5, 0.2, 51);
        p.b().getRow(4).assign(0);
        ClosedFormUpdate.Result r = solve(p);
        assertThat(r.relativeRidge()).isCloseTo(1e-6, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(frobenius(r.a().getColumn(4))).isZero();
        // the optimum with the four live rows of B, by EJML's QR as above
        INDArray b4 = p.b().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        Problem live = new Problem(p.w(), p.x(), p.xc(), b4);
        DMatrixRMaj z = ejml(la.matmul(b4, false, p.xc(), false).transpose());
        DMatrixRMaj yt = ejml(la.matmul(p.w(), false, p.x(), false).transpose());
        LinearSolverDense<DMatrixRMaj> qr = LinearSolverFactory_DDRM.leastSquares(z.numRows, z.numCols);
        assertThat(qr.setA(z)).isTrue();
        DMatrixRMaj at = new DMatrixRMaj(z.numCols, yt.numCols);
        qr.solve(yt, at);
        double optimum = tokenError(live, Nd4j.createFromArray(toRows(at)).transpose());
        // the ridge moves A by ~1e-6 κ(G) relative and the error by the square of that (a minimum): 1e-6 is generous
        assertThat(tokenError(p, r.a())).isLessThanOrEqualTo(optimum * (1 + 1e-6));
    }

    @Test
    void mismatchedShapesAreRefusedWithTheShapes() {
        Problem p = problem(10, 12, 40, 3, 0.1, 61);
        INDArray wrongGram = la.gram(gaussian(11, 40, 62));
        assertThatThrownBy(() -> ClosedFormUpdate.solve(la, p.w(), wrongGram, p.b(), wrongGram, "L2.o"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("L2.o").hasMessageContaining("[11, 11]");
        INDArray gram = la.gram(p.xc());
        assertThatThrownBy(() -> ClosedFormUpdate.solve(la, p.w(), gram, gaussian(13, 12, 63), gram, "L2.o"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rank of B must be in [1, 12], got 13");
    }

    private static DMatrixRMaj ejml(INDArray x) {
        double[][] rows = x.toDoubleMatrix();
        return new DMatrixRMaj(rows);
    }

    private static double[][] toRows(DMatrixRMaj m) {
        double[][] rows = new double[m.numRows][m.numCols];
        for (int i = 0; i < m.numRows; i++) {
            for (int j = 0; j < m.numCols; j++) {
                rows[i][j] = m.get(i, j);
            }
        }
        return rows;
    }
}
