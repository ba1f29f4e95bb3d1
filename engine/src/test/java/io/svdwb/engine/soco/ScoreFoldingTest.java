package io.svdwb.engine.soco;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.LowRankFactors;
import io.svdwb.engine.compress.kernels.WhitenedSvd;
import io.svdwb.engine.linalg.LinearAlgebra;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class ScoreFoldingTest {

    private static final LinearAlgebra LA = LinearAlgebra.cpu();

    @Test
    void foldedFactorsAreTheScaledKeptComponentsAndTheErrorIsTheWhitenedOutputError() {
        SplittableRandom random = new SplittableRandom(3);
        int m = 9;
        int n = 7;
        double[] w = new double[m * n];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextGaussian();
        }
        double[] s = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                s[i * n + j] = 0.3 * random.nextGaussian();
            }
            s[i * n + i] = 0.5 + random.nextDouble();
        }
        INDArray weight = DoubleMatrices.of(w, m, n);
        INDArray whitening = DoubleMatrices.of(s, n, n);
        LowRankDecomposition d = WhitenedSvd.decompose(LA, weight, whitening, "test");
        double[] sigma = d.singularValues();
        double[] a = {1.7, 0, 0.4, 1.1}; // r_cap = floor(63 / 16) = 3 would do; four scores exercise a dead one too
        int[] kept = {0, 2, 3};

        LowRankFactors f = ScoreFolding.fold(d.left(), sigma, a, d.right(), kept);
        double[] product = DoubleMatrices.values(f.product(LA));
        double[] left = DoubleMatrices.values(d.left());
        double[] right = DoubleMatrices.values(d.right());
        int r = sigma.length;
        double scale = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double expected = 0;
                for (int c : kept) {
                    expected += left[i * r + c] * sigma[c] * a[c] * right[c * n + j];
                }
                scale = Math.max(scale, Math.abs(expected));
                // products of O(1) numbers over 3 terms: rounding ~1e-15; 1e-12 is far below any indexing mistake
                assertEquals(expected, product[i * n + j], 1e-12, "entry " + i + "," + j);
            }
        }

        // ||(W - A B) S||_F computed directly must equal the closed form over sigma and a
        INDArray difference = weight.sub(f.product(LA));
        double direct = LA.matmul(difference, false, whitening, false).norm2Number().doubleValue();
        assertEquals(direct, ScoreFolding.outputError(sigma, a, kept), 1e-12 * Math.max(1, direct));
    }
}
