package io.svdwb.engine.cli;

import io.svdwb.engine.compress.kernels.ResidualSvd;
import io.svdwb.engine.compress.kernels.Whitening;
import io.svdwb.engine.compress.method.MethodOptions;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The methods' options; [OURS] marks a choice of ours where the papers are silent (methods.md). */
final class MethodOptionsMixin {

    @Option(names = "--whitening", paramLabel = "MODE",
            description = "Cholesky fallbacks (§3.3): default = 1e-6 x mean(diag H) ridge then 5%% damping [OURS]; "
                    + "svd-llm = eigenvalue shift; duo-svd = 5%% damping. Default: ${DEFAULT-VALUE}.")
    String whitening = "default";

    @Option(names = "--asvd-alpha", paramLabel = "A", description = "ASVD scaling exponent (default ${DEFAULT-VALUE}).")
    double asvdAlpha = MethodOptions.DEFAULTS.asvdAlpha();

    @Option(names = "--asvd-ranks", paramLabel = "uniform|search",
            description = "ASVD ranks: its sensitivity search on calibration perplexity (§4.3, candidates 0.4..0.9, 0.1..0.9 above 40%% "
                    + "compression [OURS]) or uniform k(rho). Default: ${DEFAULT-VALUE}.")
    String asvdRanks = "search";

    @Option(names = "--ressvd-beta", paramLabel = "B", description = "ResSVD residual rank share of mn/(m+n) (default ${DEFAULT-VALUE}).")
    double ressvdBeta = ResidualSvd.DEFAULT_BETA;

    @Option(names = "--ressvd-metric", paramLabel = "whitened|plain",
            description = "ResSVD second stage: whitened residual [OURS default] or plain SVD of the residual. Default: ${DEFAULT-VALUE}.")
    String ressvdMetric = "whitened";

    @Option(names = "--ressvd-layers", paramLabel = "K",
            description = "ResSVD: compress only the last K selected layers; 0 = choose K by calibration perplexity [OURS rule]. Default: ${DEFAULT-VALUE}.")
    int ressvdLayers = 0;

    @Option(names = "--ressvd-max-layer-ratio", paramLabel = "R", description = "ResSVD: largest per-layer ratio a K may need [OURS] (default ${DEFAULT-VALUE}).")
    double ressvdMaxLayerRatio = MethodOptions.DEFAULTS.ressvdMaxLayerRatio();

    @Option(names = "--duo-allocation", paramLabel = "kl|uniform",
            description = "Duo-SVD ranks: KL-sensitivity knapsack over modules (§4.6) or uniform. Default: ${DEFAULT-VALUE}.")
    String duoAllocation = "kl";

    @Option(names = "--duo-columns", paramLabel = "on|off", description = "Duo-SVD column-preserving factors (§4.6 step 4). Default: ${DEFAULT-VALUE}.")
    String duoColumns = "on";

    @Option(names = "--probe-samples", paramLabel = "N",
            description = "Windows the searches (ASVD ranks, ResSVD K, Duo-SVD KL) evaluate on (default ${DEFAULT-VALUE}, as the papers).")
    int probeSamples = MethodOptions.DEFAULTS.probeSamples();

    @Option(names = "--probe-length", paramLabel = "L", description = "Tokens per probe window; 0 = the calibration length. Default: ${DEFAULT-VALUE}.")
    int probeLength = 0;

    @Option(names = "--probe-seed", paramLabel = "N", description = "Seed of the probe windows (default ${DEFAULT-VALUE}, ASVD's).")
    long probeSeed = MethodOptions.DEFAULTS.probeSeed();

    MethodOptions options() {
        return MethodOptions.DEFAULTS
                .withWhitening(whiteningOptions())
                .withAsvd(asvdAlpha, choice("--asvd-ranks", asvdRanks, "search", "uniform"))
                .withResSvd(ressvdBeta, choice("--ressvd-metric", ressvdMetric, "plain", "whitened")
                        ? ResidualSvd.ResidualMetric.PLAIN : ResidualSvd.ResidualMetric.WHITENED, ressvdLayers, ressvdMaxLayerRatio)
                .withDuo(choice("--duo-allocation", duoAllocation, "kl", "uniform"), choice("--duo-columns", duoColumns, "on", "off"))
                .withProbe(probeSamples, probeLength, probeSeed);
    }

    private Whitening.Options whiteningOptions() {
        return switch (whitening.toLowerCase(Locale.ROOT)) {
            case "default" -> Whitening.Options.DEFAULT;
            case "svd-llm" -> Whitening.Options.SVD_LLM;
            case "duo-svd" -> Whitening.Options.DUO_SVD;
            default -> throw new IllegalArgumentException("--whitening must be default, svd-llm or duo-svd, got '" + whitening + "'");
        };
    }

    /** True for {@code yes}, false for {@code no}, an error naming the option otherwise. */
    private static boolean choice(String option, String value, String yes, String no) {
        String v = value.toLowerCase(Locale.ROOT);
        if (v.equals(yes)) {
            return true;
        }
        if (v.equals(no)) {
            return false;
        }
        throw new IllegalArgumentException(option + " must be " + yes + " or " + no + ", got '" + value + "'");
    }
}
