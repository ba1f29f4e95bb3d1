package io.svdwb.engine.soco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.svdwb.engine.linalg.LinearAlgebra;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The projection's backward against central finite differences of {@code L = Σ c ⊙ y} (so {@code dL/dy = c}).
 * L is linear in x and, away from theta = 0, in each score, so central differences are exact up to rounding,
 * about eps |L| / step = 1e-16 * |L| / 1e-6, i.e. 1e-10 absolute here (|L| is of order 1). Each entry is compared
 * as |a - b| / max(|a|, |b|, 1e-3) < 1e-6: relative for the sizeable entries, and for tiny ones (where rounding
 * dominates) absolute at 1e-9, still ten times the rounding and far below any real error.
 */
class ScoredProjectionTest {

    private static final int M = 5;
    private static final int N = 4;
    private static final int R = 3;
    private static final int TOKENS = 6;
    private static final double STEP = 1e-6;
    private static final double TOLERANCE = 1e-6;
    private static final double SCALE_FLOOR = 1e-3;

    private final SplittableRandom random = new SplittableRandom(11);
    private final LinearAlgebra linalg = LinearAlgebra.cpu();

    @Test
    void scoreAndInputGradientsMatchFiniteDifferences() {
        ScoredProjection p = randomProjection();
        p.setScores(new double[] {0.7, 1.3, -0.4});
        double[] x = randomValues(TOKENS * N);
        double[] c = randomValues(TOKENS * M);
        DoubleSupplier loss = () -> dot(c, p.forward(x, TOKENS));

        double[] dx = p.backward(x, c, TOKENS);
        double[] dTheta = p.scoreGradient();

        for (int i = 0; i < R; i++) {
            double original = p.score(i);
            p.setScore(i, original + STEP);
            double plus = loss.getAsDouble();
            p.setScore(i, original - STEP);
            double minus = loss.getAsDouble();
            p.setScore(i, original);
            assertClose((plus - minus) / (2 * STEP), dTheta[i], "dL/dtheta_" + i);
        }
        for (int j = 0; j < x.length; j++) {
            double original = x[j];
            x[j] = original + STEP;
            double plus = loss.getAsDouble();
            x[j] = original - STEP;
            double minus = loss.getAsDouble();
            x[j] = original;
            assertClose((plus - minus) / (2 * STEP), dx[j], "dL/dx_" + j);
        }
        assertEquals(0.0, dTheta[2], "a negative score has a zero gradient");
    }

    @Test
    void scoreAtZeroTakesTheZeroSubgradientAndDropsItsComponent() {
        ScoredProjection p = randomProjection();
        double[] x = randomValues(TOKENS * N);
        double[] c = randomValues(TOKENS * M);
        p.setScores(new double[] {1, 1, 0});
        double[] withZero = p.forward(x, TOKENS);
        p.backward(x, c, TOKENS);
        assertEquals(0.0, p.scoreGradient()[2], "the subgradient of max(theta, 0) at 0 is taken as 0");
        assertTrue(p.scoreGradient()[0] != 0, "a live component does get a gradient");

        p.setScores(new double[] {1, 1, -5});
        double[] withNegative = p.forward(x, TOKENS);
        for (int i = 0; i < withZero.length; i++) {
            assertEquals(withZero[i], withNegative[i], 1e-12, "a dead component contributes nothing whatever its score");
        }
    }

    @Test
    void gradientsAccumulateUntilZeroed() {
        ScoredProjection p = randomProjection();
        double[] x = randomValues(TOKENS * N);
        double[] c = randomValues(TOKENS * M);
        p.backward(x, c, TOKENS);
        double[] once = p.scoreGradient();
        p.backward(x, c, TOKENS);
        double[] twice = p.scoreGradient();
        for (int i = 0; i < R; i++) {
            assertEquals(2 * once[i], twice[i], 1e-12 * Math.abs(once[i]) + 1e-15);
        }
        p.zeroGradient();
        assertEquals(0.0, p.scoreGradient()[0]);
    }

    private ScoredProjection randomProjection() {
        INDArray u = DoubleMatrices.of(randomValues(M * R), M, R);
        INDArray right = DoubleMatrices.of(randomValues(R * N), R, N);
        double[] sigma = {2.0, 1.1, 0.6};
        return new ScoredProjection(u, sigma, right, randomValues(M), linalg);
    }

    private double[] randomValues(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextDouble() * 2 - 1;
        }
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void assertClose(double expected, double actual, String what) {
        double error = Math.abs(expected - actual) / Math.max(Math.max(Math.abs(expected), Math.abs(actual)), SCALE_FLOOR);
        assertTrue(error < TOLERANCE, what + ": finite difference " + expected + ", backward " + actual + ", relative error " + error);
    }
}
