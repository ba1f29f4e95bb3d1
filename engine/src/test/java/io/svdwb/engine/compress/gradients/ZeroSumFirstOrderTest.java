package io.svdwb.engine.compress.gradients;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.compress.kernels.ComponentGradients;
import io.svdwb.engine.compress.kernels.KernelTestMatrices;
import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.WhitenedSvd;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.progress.ProgressListener;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Zero-Sum SVD's score {@code ΔL_i = -sigma_i dL/dsigma_i} (docs/METHODS.md §4.11) against the loss of the tiny model
 * with component i of a whitened decomposition removed, {@code W - t sigma_i l_i r_i}, evaluated by the double forward
 * alone on the batch whose mean gradient the score used.
 */
class ZeroSumFirstOrderTest {

    private static final LinearAlgebra LA = LinearAlgebra.cpu();

    @TempDir
    Path dir;

    @Test
    void scoresAreTheDerivativeOfRemovingAComponentAndPredictTheWholeRemoval() throws Exception {
        TinyGradientModel tiny = TinyGradientModel.open(dir);
        int[][] batch = TinyGradientModel.WINDOWS;
        // one batch of all four windows: the mean gradient is the gradient of exactly the loss evaluated below
        GradientPass.Result pass = GradientPass.run(tiny.checkpoint, tiny.weights, batch, batch.length, LA, ProgressListener.NONE);
        check(tiny, pass, 0, ProjectionKind.Q, 51);
        check(tiny, pass, 1, ProjectionKind.GATE, 52);
        check(tiny, pass, 1, ProjectionKind.DOWN, 53);
    }

    private void check(TinyGradientModel tiny, GradientPass.Result pass, int layer, ProjectionKind kind, long seed) throws Exception {
        INDArray w = tiny.weight(layer, kind);
        int n = (int) w.columns();
        INDArray s = LA.cholesky(LA.gram(KernelTestMatrices.gaussian(n, 3 * n, seed)));
        LowRankDecomposition d = WhitenedSvd.decompose(LA, w, s, kind.moduleName(layer));
        INDArray g = pass.of(kind.moduleName(layer)).meanGradientMatrix();
        double[] predicted = ComponentGradients.removalLossChanges(d.singularValues(),
                ComponentGradients.sigmaGradients(LA, d.left(), d.right(), g));
        int[][] all = TinyGradientModel.WINDOWS;
        double base = tiny.crossEntropy(layer, kind, w, all);
        double largest = 0;
        for (double p : predicted) {
            largest = Math.max(largest, Math.abs(p));
        }
        assertThat(largest).as("the scores must not all vanish, or the check is weak").isGreaterThan(1e-4);
        double step = 1e-5;
        double remainderSum = 0;
        double predictedSum = 0;
        for (int i = 0; i < predicted.length; i++) {
            // d/dt L(W - t sigma_i l_i r_i) at t = 0 is exactly ΔL_i: central differences, step 1e-5 in t, err by
            // ~1e-15 x 3.5 / 2e-5 (rounding) + 1e-10 (truncation), below 1e-6 of the largest score (measured: at most
            // 5e-8 of it); a wrong sign, factor or right factor R errs by O(1)
            double derivative = (tiny.crossEntropy(layer, kind, removed(w, d, i, step), all)
                    - tiny.crossEntropy(layer, kind, removed(w, d, i, -step), all)) / (2 * step);
            assertThat(Math.abs(derivative - predicted[i])).as("%s component %d: derivative %g, score %g", kind.moduleName(layer), i,
                    derivative, predicted[i]).isLessThan(1e-6 * largest);
            double whole = tiny.crossEntropy(layer, kind, removed(w, d, i, 1), all) - base;
            remainderSum += Math.abs(whole - predicted[i]);
            predictedSum += Math.abs(predicted[i]);
        }
        // Removing a whole component is not infinitesimal: the score misses the second-order term
        // ½ sigma_i² (l_i r_i)ᵀ ∇²L (l_i r_i), so single components can even flip sign (gate_proj component 1 here).
        // Loose tolerance, summed over the matrix's components: the remainder must stay below half of the scores
        // (measured 0.04, 0.18 and 0.04 of them); scores of the wrong sign, scale or component would make the
        // remainder as large as the scores or larger.
        assertThat(remainderSum).as("%s: total |ΔL - score| against total |score|", kind.moduleName(layer))
                .isLessThan(0.5 * predictedSum);
    }

    /** {@code W - t sigma_i l_i r_i}. */
    private static INDArray removed(INDArray w, LowRankDecomposition d, int i, double t) {
        double sigma = d.singularValues()[i];
        INDArray l = d.left().getColumn(i).reshape(w.rows(), 1);
        INDArray r = d.right().getRow(i).reshape(1, w.columns());
        return w.sub(l.mmul(r).mul(t * sigma));
    }
}
