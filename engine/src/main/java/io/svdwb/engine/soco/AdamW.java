package io.svdwb.engine.soco;

/**
 * AdamW (Loshchilov and Hutter) over one flat parameter vector, with the bias-corrected moments of Kingma and Ba and
 * decoupled weight decay; the state ({@link #moments()}) can be saved and restored so training resumes exactly.
 */
public final class AdamW {

    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPSILON = 1e-8;

    private final double weightDecay;
    private final double[] first;
    private final double[] second;
    private int steps;

    public AdamW(int parameters, double weightDecay) {
        this.weightDecay = weightDecay;
        this.first = new double[parameters];
        this.second = new double[parameters];
    }

    /** One update of {@code parameters} in place with learning rate {@code lr}. */
    public void step(double[] parameters, double[] gradient, double lr) {
        if (parameters.length != first.length || gradient.length != first.length) {
            throw new IllegalArgumentException("AdamW holds " + first.length + " parameters, got " + parameters.length
                    + " values and " + gradient.length + " gradients");
        }
        steps++;
        double correction1 = 1 - Math.pow(BETA1, steps);
        double correction2 = 1 - Math.pow(BETA2, steps);
        for (int i = 0; i < parameters.length; i++) {
            first[i] = BETA1 * first[i] + (1 - BETA1) * gradient[i];
            second[i] = BETA2 * second[i] + (1 - BETA2) * gradient[i] * gradient[i];
            double update = (first[i] / correction1) / (Math.sqrt(second[i] / correction2) + EPSILON);
            parameters[i] -= lr * (update + weightDecay * parameters[i]);
        }
    }

    public int steps() {
        return steps;
    }

    /** Copies of the first and second moments. */
    public double[][] moments() {
        return new double[][] {first.clone(), second.clone()};
    }

    /** Restores a saved state (from {@link #moments()} and {@link #steps()}). */
    public void restore(double[] firstMoment, double[] secondMoment, int stepCount) {
        if (firstMoment.length != first.length || secondMoment.length != second.length || stepCount < 0) {
            throw new IllegalArgumentException("the saved optimiser state does not fit " + first.length + " parameters");
        }
        System.arraycopy(firstMoment, 0, first, 0, first.length);
        System.arraycopy(secondMoment, 0, second, 0, second.length);
        steps = stepCount;
    }
}
