package io.svdwb.engine.soco;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.model.ProjectionKind;
import java.util.EnumMap;
import java.util.Map;

/**
 * One decoder block of {@link io.svdwb.engine.model.DecoderLayer} in double with every projection a
 * {@link ScoredProjection}: {@code h1 = h0 + o(attn(rope(q, k), v))} on {@code norm1(h0)}, then
 * {@code h2 = h1 + down(silu(gate) ⊙ up)} on {@code norm2(h1)}. The forward keeps what the backward needs.
 */
final class ScoredDecoderLayer {

    /** The activations of one forward pass that the backward reads. */
    record Trace(double[] input, double[] normed, double[] q, double[] k, double[] v, CausalAttention.Pass attention,
                 double[] afterAttention, double[] normed2, double[] gate, double[] up, double[] mlpHidden,
                 double[] output) {
    }

    private final ModelConfig config;
    private final double[] inputNorm;
    private final double[] postAttentionNorm;
    private final Map<ProjectionKind, ScoredProjection> projections;
    private final Rotary rotary;
    private final CausalAttention attention;

    ScoredDecoderLayer(ModelConfig config, double[] inputNorm, double[] postAttentionNorm,
                       Map<ProjectionKind, ScoredProjection> projections, LinearAlgebra linalg) {
        for (ProjectionKind kind : ProjectionKind.values()) {
            ScoredProjection p = projections.get(kind);
            if (p == null || p.inFeatures() != kind.inFeatures(config) || p.outFeatures() != kind.outFeatures(config)) {
                throw new IllegalArgumentException(kind.modulePath() + " is missing or does not map "
                        + kind.inFeatures(config) + " -> " + kind.outFeatures(config) + " features");
            }
        }
        this.config = config;
        this.inputNorm = inputNorm.clone();
        this.postAttentionNorm = postAttentionNorm.clone();
        this.projections = new EnumMap<>(projections);
        this.rotary = new Rotary(config);
        this.attention = new CausalAttention(config, linalg);
    }

    ScoredProjection projection(ProjectionKind kind) {
        return projections.get(kind);
    }

    /** Runs the block on {@code hidden} [sequences * seqLen, hiddenSize] (not modified); the trace ends with the output. */
    Trace forward(double[] hidden, int sequences, int seqLen) {
        int rows = sequences * seqLen;
        int width = config.hiddenSize();
        double eps = config.rmsNormEps();
        double[] normed = RmsNorm.forward(hidden, rows, width, inputNorm, eps);
        double[] q = projections.get(ProjectionKind.Q).forward(normed, rows);
        double[] k = projections.get(ProjectionKind.K).forward(normed, rows);
        double[] v = projections.get(ProjectionKind.V).forward(normed, rows);
        rotary.rotate(q, rows, seqLen, config.numHeads());
        rotary.rotate(k, rows, seqLen, config.numKvHeads());
        CausalAttention.Pass pass = attention.forward(q, k, v, sequences, seqLen);
        double[] afterAttention = sum(hidden, projections.get(ProjectionKind.O).forward(pass.output(), rows));

        double[] normed2 = RmsNorm.forward(afterAttention, rows, width, postAttentionNorm, eps);
        double[] gate = projections.get(ProjectionKind.GATE).forward(normed2, rows);
        double[] up = projections.get(ProjectionKind.UP).forward(normed2, rows);
        double[] mlpHidden = SwiGlu.forward(gate, up);
        double[] output = sum(afterAttention, projections.get(ProjectionKind.DOWN).forward(mlpHidden, rows));
        return new Trace(hidden, normed, q, k, v, pass, afterAttention, normed2, gate, up, mlpHidden, output);
    }

    /**
     * Given {@code dL/d(output)}, accumulates every projection's score gradient and returns {@code dL/d(input)}.
     * Each residual branch adds its own gradient to the one flowing straight through.
     */
    double[] backward(Trace trace, double[] gradOutput, int sequences, int seqLen) {
        int rows = sequences * seqLen;
        int width = config.hiddenSize();
        double eps = config.rmsNormEps();
        double[] dMlpHidden = projections.get(ProjectionKind.DOWN).backward(trace.mlpHidden(), gradOutput, rows);
        SwiGlu.Gradients dGlu = SwiGlu.backward(trace.gate(), trace.up(), dMlpHidden);
        double[] dNormed2 = sum(projections.get(ProjectionKind.GATE).backward(trace.normed2(), dGlu.gate(), rows),
                projections.get(ProjectionKind.UP).backward(trace.normed2(), dGlu.up(), rows));
        double[] dAfterAttention = sum(gradOutput,
                RmsNorm.backward(trace.afterAttention(), dNormed2, rows, width, postAttentionNorm, eps));

        double[] dContext = projections.get(ProjectionKind.O).backward(trace.attention().output(), dAfterAttention, rows);
        CausalAttention.Gradients dAttention = attention.backward(trace.q(), trace.k(), trace.v(), trace.attention(),
                dContext, sequences, seqLen);
        rotary.rotateBack(dAttention.q(), rows, seqLen, config.numHeads());
        rotary.rotateBack(dAttention.k(), rows, seqLen, config.numKvHeads());
        double[] dNormed = sum(sum(projections.get(ProjectionKind.Q).backward(trace.normed(), dAttention.q(), rows),
                        projections.get(ProjectionKind.K).backward(trace.normed(), dAttention.k(), rows)),
                projections.get(ProjectionKind.V).backward(trace.normed(), dAttention.v(), rows));
        return sum(dAfterAttention, RmsNorm.backward(trace.input(), dNormed, rows, width, inputNorm, eps));
    }

    private static double[] sum(double[] a, double[] b) {
        double[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += b[i];
        }
        return out;
    }
}
