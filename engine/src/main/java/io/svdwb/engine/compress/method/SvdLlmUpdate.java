package io.svdwb.engine.compress.method;

import java.util.Locale;

/**
 * SVD-LLM's closed-form update of A after whitening (docs/METHODS.md §4.4, arXiv v1 "whitening then update").
 *
 * @param enabled whether {@code svd-llm} runs the update (off by default: the default is "SVD-LLM (W)")
 * @param samples update windows (16 in the reference script, {@code --updating_nsamples}); their length is the
 *                calibration length
 * @param seed    seed of the update windows (the reference script's {@code --seed} default, 0); the whitening uses
 *                the calibration windows as before
 * @param target  what A's outputs are fitted to
 */
public record SvdLlmUpdate(boolean enabled, int samples, long seed, Target target) {

    /** The fitted outputs Y of a projection whose compressed-model inputs are Xc. */
    public enum Target {
        /**
         * [CODE] the original projection applied to the current inputs, {@code Y = W Xc}: the reference runs the
         * original layer on the propagated stream and fits each projection to its own original output.
         */
        CURRENT,
        /**
         * [OURS] the original projection on the uncompressed model's inputs, {@code Y = W X}: the compressed layer is
         * also asked to undo the error the earlier compressed layers left in its inputs.
         */
        ORIGINAL;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Target parse(String name) {
            for (Target t : values()) {
                if (t.cliName().equals(name == null ? "" : name.trim().toLowerCase(Locale.ROOT))) {
                    return t;
                }
            }
            throw new IllegalArgumentException("the update target must be current or original, got '" + name + "'");
        }
    }

    public static final SvdLlmUpdate OFF = new SvdLlmUpdate(false, 16, 0, Target.CURRENT);

    public SvdLlmUpdate {
        if (samples < 1) {
            throw new IllegalArgumentException("SVD-LLM update windows must be >= 1, got " + samples);
        }
        java.util.Objects.requireNonNull(target, "target");
    }

    /** This setting switched on or off. */
    public SvdLlmUpdate withEnabled(boolean on) {
        return new SvdLlmUpdate(on, samples, seed, target);
    }

    public String describe() {
        return enabled ? String.format(Locale.ROOT, "closed-form update of A on %d windows (seed %d), target %s", samples, seed,
                target.cliName()) : "off";
    }
}
