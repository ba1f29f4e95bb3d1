package io.svdwb.engine.compress.duo;

import io.svdwb.engine.compress.kernels.KernelTestMatrices;
import io.svdwb.engine.linalg.LinearAlgebra;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Fixed-seed DOUBLE test matrices for the column-preserving tests, and the planted-split problem. */
final class DuoTestMatrices {

    static final LinearAlgebra LA = LinearAlgebra.cpu();

    private DuoTestMatrices() {
    }

    static INDArray gaussian(int m, int n, long seed) {
        return KernelTestMatrices.gaussian(m, n, seed);
    }

    static double frobenius(INDArray a) {
        return KernelTestMatrices.frobenius(a);
    }

    /** {@code ||(W - W') X||_F}, computed directly from the activations (independent of any whitening). */
    static double outputError(INDArray w, INDArray approx, INDArray x) {
        return frobenius(LA.matmul(w.sub(approx), false, x, false));
    }

    /**
     * W, X and H = X Xᵀ. X is n x 4n Gaussian: full row rank with condition number about 3
     * (Marchenko-Pastur: (1 + 1/2) / (1 - 1/2)), so H is well conditioned and no whitening fallback triggers.
     */
    record Problem(INDArray w, INDArray x, INDArray h) {

        static Problem of(INDArray w, long seed) {
            INDArray x = gaussian((int) w.columns(), 4 * (int) w.columns(), seed);
            return new Problem(w, x, LA.gram(x));
        }
    }

    /**
     * m x n: a rank-r product of Gaussian factors (entries of size sqrt(r); for 60 x 80 and r = 10 its
     * singular values are about 40 to 100) plus small full-rank noise (entries 0.01).
     */
    static INDArray lowRankPlusNoise(int m, int n, int r, long seed) {
        INDArray lowRank = LA.matmul(gaussian(m, r, seed), false, gaussian(r, n, seed + 1), false);
        return lowRank.addi(gaussian(m, n, seed + 2).muli(0.01));
    }

    /** W with columns {@code planted} replaced by independent Gaussian columns with entries of size {@code scale}. */
    static INDArray plantColumns(INDArray w, int[] planted, double scale, long seed) {
        INDArray out = w.dup('c');
        INDArray big = gaussian((int) w.rows(), planted.length, seed).muli(scale);
        for (int c = 0; c < planted.length; c++) {
            out.putColumn(planted[c], big.getColumn(c).reshape(w.rows(), 1));
        }
        return out;
    }
}
