package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.kernels.Whitening;
import java.util.List;

/** Options several methods declare: the Cholesky fallbacks and the searches' probe windows. */
public final class SharedOptions {

    private SharedOptions() {
    }

    public static final MethodOption.Choice WHITENING = new MethodOption.Choice("whitening", List.of("default", "svd-llm", "duo-svd"),
            "default", "Cholesky fallbacks (§3.3): default = 1e-6 x mean(diag H) ridge then 5% damping [OURS]; "
                    + "svd-llm = eigenvalue shift; duo-svd = 5% damping.");

    public static final MethodOption.Number PROBE_SAMPLES = MethodOption.Number.integer("probe-samples", 32, 1, 1 << 20,
            "Windows the searches (ASVD ranks, ResSVD K, Duo-SVD KL) evaluate on (32, as the papers).");

    public static final MethodOption.Number PROBE_LENGTH = MethodOption.Number.integer("probe-length", 0, 0, 1 << 20,
            "Tokens per probe window; 0 = the calibration length.");

    public static final MethodOption.Number PROBE_SEED = MethodOption.Number.integer("probe-seed", 233, 0, Integer.MAX_VALUE,
            "Seed of the probe windows (233, ASVD's).");

    /** The probe windows' three options, for methods with a search. */
    public static final List<MethodOption> PROBE = List.of(PROBE_SAMPLES, PROBE_LENGTH, PROBE_SEED);

    public static Whitening.Options whitening(MethodSettings settings) {
        return switch (settings.choice(WHITENING)) {
            case "svd-llm" -> Whitening.Options.SVD_LLM;
            case "duo-svd" -> Whitening.Options.DUO_SVD;
            default -> Whitening.Options.DEFAULT;
        };
    }

    /** The windows a search probes; length 0 means the calibration length. */
    public record ProbeWindows(int samples, int length, long seed) {
    }

    public static ProbeWindows probe(MethodSettings settings) {
        return new ProbeWindows(settings.integer(PROBE_SAMPLES), settings.integer(PROBE_LENGTH), settings.longValue(PROBE_SEED));
    }

    /** {@code settings} with the probe windows set, for methods that declare them (the others are returned as they are). */
    public static MethodSettings withProbe(MethodSettings settings, int samples, int length) {
        if (!settings.declares(PROBE_SAMPLES.name())) {
            return settings;
        }
        return settings.with(PROBE_SAMPLES, samples).with(PROBE_LENGTH, length);
    }
}
