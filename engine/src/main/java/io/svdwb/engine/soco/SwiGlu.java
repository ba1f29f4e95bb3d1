package io.svdwb.engine.soco;

/** SwiGLU's gating {@code h = silu(gate) ⊙ up} in double and its backward. */
final class SwiGlu {

    /** {@code dL/dgate} and {@code dL/dup}. */
    record Gradients(double[] gate, double[] up) {
    }

    private SwiGlu() {
    }

    static double[] forward(double[] gate, double[] up) {
        double[] out = new double[gate.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = silu(gate[i]) * up[i];
        }
        return out;
    }

    /** With {@code sig = sigmoid(g)}: {@code silu'(g) = sig (1 + g (1 - sig))}. */
    static Gradients backward(double[] gate, double[] up, double[] gradHidden) {
        double[] dGate = new double[gate.length];
        double[] dUp = new double[gate.length];
        for (int i = 0; i < gate.length; i++) {
            double g = gate[i];
            double sig = 1.0 / (1.0 + Math.exp(-g));
            dUp[i] = gradHidden[i] * g * sig;
            dGate[i] = gradHidden[i] * up[i] * sig * (1 + g * (1 - sig));
        }
        return new Gradients(dGate, dUp);
    }

    private static double silu(double g) {
        return g / (1.0 + Math.exp(-g));
    }
}
