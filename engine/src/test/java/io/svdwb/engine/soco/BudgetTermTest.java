package io.svdwb.engine.soco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BudgetTermTest {

    @Test
    void softKeptFractionAndLossMatchTheFormulaOnAHandExample() {
        // theta 0 -> g = 1/2; theta = T ln 3 -> g = 3/4. Costs 10 and 20, P = 40: rhoHat = (5 + 15) / 40 = 0.5
        double t = 0.5;
        BudgetTerm.Value v = BudgetTerm.evaluate(new double[] {0, t * Math.log(3)}, new double[] {10, 20}, 40, 0.3, t);
        assertEquals(0.5, v.softKept(), 1e-15);
        assertEquals(0.2 * 0.2, v.loss(), 1e-15);
        // dL/dtheta_i = 2 (rhoHat - rho*) cost_i g_i (1 - g_i) / (T P)
        assertEquals(2 * 0.2 * 10 * 0.25 / (t * 40), v.gradient()[0], 1e-15);
        assertEquals(2 * 0.2 * 20 * (3.0 / 16) / (t * 40), v.gradient()[1], 1e-15);
    }

    @Test
    void belowTheTargetTheTermAndItsGradientVanish() {
        BudgetTerm.Value v = BudgetTerm.evaluate(new double[] {-3, -2}, new double[] {5, 5}, 10, 0.5, 0.5);
        assertTrue(v.softKept() < 0.5);
        assertEquals(0, v.loss());
        assertArrayEquals(new double[] {0, 0}, v.gradient());
    }

    @Test
    void gradientMatchesCentralDifferences() {
        SplittableRandom random = new SplittableRandom(5);
        double[] theta = new double[12];
        double[] cost = new double[12];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = random.nextDouble(-1, 2);
            cost[i] = 10 + random.nextInt(40);
        }
        double t = 0.3;
        BudgetTerm.Value v = BudgetTerm.evaluate(theta, cost, 300, 0.4, t);
        assertTrue(v.loss() > 0, "the example must be above the target for the gradient to be non-trivial");
        double h = 1e-6;
        for (int i = 0; i < theta.length; i++) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (BudgetTerm.evaluate(plus, cost, 300, 0.4, t).loss() - BudgetTerm.evaluate(minus, cost, 300, 0.4, t).loss()) / (2 * h);
            // central differences are accurate to O(h^2) ~ 1e-12 relative here; 1e-6 leaves room for rounding in the loss
            assertEquals(numeric, v.gradient()[i], 1e-6 * Math.max(1e-3, Math.abs(numeric)), "component " + i);
        }
    }

    @Test
    void sigmoidStaysFiniteAtTheColdestTemperature() {
        BudgetTerm.Value v = BudgetTerm.evaluate(new double[] {50, -50}, new double[] {1, 1}, 2, 0.1, 0.01);
        assertEquals(0.5, v.softKept(), 1e-15);
        assertTrue(Double.isFinite(v.gradient()[0]) && Double.isFinite(v.gradient()[1]));
    }
}
