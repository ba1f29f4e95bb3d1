package io.svdwb.engine.model;

import java.util.Arrays;
import java.util.Locale;

/** The seven linear projections of a LLaMA decoder layer: the compressible matrices. */
public enum ProjectionKind {
    Q("self_attn.q_proj"),
    K("self_attn.k_proj"),
    V("self_attn.v_proj"),
    O("self_attn.o_proj"),
    GATE("mlp.gate_proj"),
    UP("mlp.up_proj"),
    DOWN("mlp.down_proj");

    private final String modulePath;

    ProjectionKind(String modulePath) {
        this.modulePath = modulePath;
    }

    /** The short name used on the command line: q, k, v, o, gate, up, down. */
    public String shortName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The Hugging Face module name inside a layer, e.g. {@code self_attn.q_proj}. */
    public String modulePath() {
        return modulePath;
    }

    /** The module's full name, e.g. {@code model.layers.3.self_attn.q_proj}. */
    public String moduleName(int layer) {
        return "model.layers." + layer + "." + modulePath;
    }

    public String weightName(int layer) {
        return moduleName(layer) + ".weight";
    }

    public String biasName(int layer) {
        return moduleName(layer) + ".bias";
    }

    /** Rows of the weight ([out, in] layout). */
    public int outFeatures(ModelConfig c) {
        return switch (this) {
            case Q -> c.qDim();
            case K, V -> c.kvDim();
            case O, DOWN -> c.hiddenSize();
            case GATE, UP -> c.intermediateSize();
        };
    }

    /** Columns of the weight ([out, in] layout). */
    public int inFeatures(ModelConfig c) {
        return switch (this) {
            case Q, K, V, GATE, UP -> c.hiddenSize();
            case O -> c.qDim();
            case DOWN -> c.intermediateSize();
        };
    }

    public boolean hasBias(ModelConfig c) {
        return switch (this) {
            case Q, K, V -> c.attentionBias();
            case O -> c.attentionBias() && !c.modelType().equals("qwen2");
            case GATE, UP, DOWN -> c.mlpBias();
        };
    }

    public static ProjectionKind parse(String shortName) {
        for (ProjectionKind k : values()) {
            if (k.shortName().equals(shortName.trim().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown module '" + shortName + "'; known: "
                + String.join(", ", Arrays.stream(values()).map(ProjectionKind::shortName).toList()));
    }
}
