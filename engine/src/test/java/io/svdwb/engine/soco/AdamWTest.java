package io.svdwb.engine.soco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdamWTest {

    @Test
    void firstStepMovesEveryParameterByTheLearningRateAgainstItsGradientSign() {
        // after one step the bias-corrected moments are g and g^2, so the update is g / (|g| + eps) (Kingma and Ba, §2)
        double[] x = {1, 1, 1};
        new AdamW(3, 0).step(x, new double[] {4, -0.001, 1e-3}, 0.1);
        assertEquals(1 - 0.1 * 4 / (4 + AdamW.EPSILON), x[0], 1e-15);
        assertEquals(1 + 0.1 * 0.001 / (0.001 + AdamW.EPSILON), x[1], 1e-15);
        assertEquals(1 - 0.1 * 1e-3 / (1e-3 + AdamW.EPSILON), x[2], 1e-15);
    }

    @Test
    void decoupledWeightDecayShrinksTheParameterDirectly() {
        double[] withDecay = {2};
        double[] without = {2};
        new AdamW(1, 0.5).step(withDecay, new double[] {1}, 0.1);
        new AdamW(1, 0).step(without, new double[] {1}, 0.1);
        assertEquals(without[0] - 0.1 * 0.5 * 2, withDecay[0], 1e-15);
    }

    @Test
    void minimisesAnIllConditionedQuadratic() {
        double[] c = {100, 1, 0.01};
        double[] x = {1, -2, 3};
        AdamW adam = new AdamW(3, 0);
        for (int step = 0; step < 5000; step++) {
            double[] g = {c[0] * x[0], c[1] * x[1], c[2] * x[2]};
            adam.step(x, g, 0.01);
        }
        for (double xi : x) {
            // Adam's steps are about lr in size whatever the curvature, so it gets within ~lr of the minimum at 0
            assertTrue(Math.abs(xi) < 0.05, "did not approach the minimum: " + xi);
        }
    }

    @Test
    void restoringTheSavedStateContinuesBitForBit() {
        double[] straight = {0.5, -1};
        AdamW a = new AdamW(2, 0.01);
        double[] resumed = {0.5, -1};
        AdamW b = new AdamW(2, 0.01);
        for (int step = 0; step < 10; step++) {
            double[] g = {Math.sin(step) + straight[0], straight[1] * 3};
            a.step(straight, g, 0.05);
            if (step < 4) {
                b.step(resumed, new double[] {Math.sin(step) + resumed[0], resumed[1] * 3}, 0.05);
            }
            if (step == 3) {
                double[][] m = b.moments();
                b = new AdamW(2, 0.01);
                b.restore(m[0], m[1], 4);
            }
            if (step >= 4) {
                b.step(resumed, new double[] {Math.sin(step) + resumed[0], resumed[1] * 3}, 0.05);
            }
        }
        assertArrayEquals(straight, resumed, 0.0);
        assertEquals(10, b.steps());
    }
}
