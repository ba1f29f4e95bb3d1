package io.svdwb.engine.soco;

/** SoCo's sparsity regulariser (docs/METHODS.md §4.8 step 3): {@code L_sparse = mean_i |theta_i|} and its subgradient. */
public final class SparsityTerm {

    public record Value(double loss, double[] gradient) {
    }

    private SparsityTerm() {
    }

    /** The subgradient at {@code theta = 0} is taken as 0. */
    public static Value evaluate(double[] theta) {
        double sum = 0;
        double[] gradient = new double[theta.length];
        for (int i = 0; i < theta.length; i++) {
            sum += Math.abs(theta[i]);
            gradient[i] = Math.signum(theta[i]) / theta.length;
        }
        return new Value(theta.length == 0 ? 0 : sum / theta.length, gradient);
    }
}
