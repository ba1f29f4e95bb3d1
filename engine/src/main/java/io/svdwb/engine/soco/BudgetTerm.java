package io.svdwb.engine.soco;

/**
 * SoCo's differentiable budget (docs/METHODS.md §4.8 step 3): with the soft alive indicator
 * {@code g_i = sigmoid(theta_i / T)}, {@code rhoHat = Σ_i cost_i g_i / P_orig} estimates the kept fraction and
 * {@code L_ratio = max(0, rhoHat - rho*)^2}; {@code cost_i = m + n} of component i's matrix.
 */
public final class BudgetTerm {

    /** {@code rhoHat}, {@code L_ratio} and {@code dL_ratio/dtheta}. */
    public record Value(double softKept, double loss, double[] gradient) {
    }

    private BudgetTerm() {
    }

    public static Value evaluate(double[] theta, double[] cost, double originalParameters, double keptTarget,
                                 double temperature) {
        if (theta.length != cost.length) {
            throw new IllegalArgumentException(theta.length + " scores but " + cost.length + " costs");
        }
        double[] alive = new double[theta.length];
        double kept = 0;
        for (int i = 0; i < theta.length; i++) {
            alive[i] = sigmoid(theta[i] / temperature);
            kept += cost[i] * alive[i];
        }
        double softKept = kept / originalParameters;
        double excess = Math.max(0, softKept - keptTarget);
        double[] gradient = new double[theta.length];
        if (excess > 0) {
            double outer = 2 * excess / (temperature * originalParameters);
            for (int i = 0; i < theta.length; i++) {
                gradient[i] = outer * cost[i] * alive[i] * (1 - alive[i]);
            }
        }
        return new Value(softKept, excess * excess, gradient);
    }

    /** Numerically safe for large |x| (the temperature falls to 0.01, so theta / T reaches hundreds). */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }
}
