package io.svdwb.engine.cli;

import io.svdwb.engine.compress.kernels.ResidualSvd;
import io.svdwb.engine.compress.kernels.Whitening;
import io.svdwb.engine.compress.method.MethodOptions;
import io.svdwb.engine.compress.method.SvdLlmRatios;
import io.svdwb.engine.compress.method.SvdLlmUpdate;
import io.svdwb.engine.soco.SocoSchedule;
import io.svdwb.engine.soco.SocoSettings;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The methods' options; [OURS] marks a choice of ours where the papers are silent (docs/METHODS.md). */
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

    @Option(names = "--svd-llm-update", paramLabel = "on|off",
            description = "svd-llm: after whitening, keep B and re-solve A in closed form layer by layer on propagated update windows "
                    + "(§4.4, the arXiv v1 \"whitening then update\"). Default: ${DEFAULT-VALUE}. In a sweep, the method name "
                    + "svd-llm+update runs it beside plain svd-llm.")
    String svdLlmUpdate = "off";

    @Option(names = "--svd-llm-update-samples", paramLabel = "N",
            description = "Windows (of the calibration length) the update fits A on (default ${DEFAULT-VALUE}, as the reference script).")
    int svdLlmUpdateSamples = SvdLlmUpdate.OFF.samples();

    @Option(names = "--svd-llm-update-seed", paramLabel = "N", description = "Seed of the update windows (default ${DEFAULT-VALUE}, the script's).")
    long svdLlmUpdateSeed = SvdLlmUpdate.OFF.seed();

    @Option(names = "--svd-llm-update-target", paramLabel = "current|original",
            description = "Outputs A is fitted to: current = the original projection on the propagated inputs (the reference's); "
                    + "original = the uncompressed model's outputs [OURS]. Default: ${DEFAULT-VALUE}.")
    String svdLlmUpdateTarget = "current";

    @Option(names = "--svd-llm-ratios", paramLabel = "uniform|v2",
            description = "svd-llm ratios: uniform k(rho), or SVD-LLM V2's loss-based ratios within each matrix type (§4.5). "
                    + "Default: ${DEFAULT-VALUE}. In a sweep, svd-llm+v2 (and svd-llm+v2+update) runs it beside svd-llm.")
    String svdLlmRatios = "uniform";

    @Option(names = "--soco-steps", paramLabel = "E,R,S", split = ",",
            description = "SoCo steps of the exploration, refinement and sparsification phases [OURS] (default 100,200,200).")
    int[] socoSteps = {100, 200, 200};

    @Option(names = "--soco-lambda-ratio", paramLabel = "W", description = "SoCo budget term weight lambda_r [OURS] (default ${DEFAULT-VALUE}).")
    double socoLambdaRatio = 30;

    @Option(names = "--soco-lambda-sparse", paramLabel = "FROM,TO", split = ",",
            description = "SoCo sparsity weight lambda_s, rising linearly over phase 3 [OURS] (default 0.001,0.01).")
    double[] socoLambdaSparse = {1e-3, 1e-2};

    @Option(names = "--soco-temperatures", paramLabel = "T1,T2,T3", split = ",",
            description = "SoCo sigmoid temperatures: phase 1, end of phase 2, end of phase 3 [OURS] (default 0.5,0.1,0.01).")
    double[] socoTemperatures = {0.5, 0.1, 0.01};

    @Option(names = "--soco-lr", paramLabel = "L1,L2,L3", split = ",",
            description = "SoCo AdamW learning rates of the three phases [OURS] (default 0.01,0.005,0.002).")
    double[] socoLearningRates = {1e-2, 5e-3, 2e-3};

    @Option(names = "--soco-alternation", paramLabel = "STEPS",
            description = "SoCo phase 2: the budget term switches on and off every STEPS steps [OURS] (default ${DEFAULT-VALUE}).")
    int socoAlternation = 20;

    @Option(names = "--soco-budget-scale", paramLabel = "per-score|plain",
            description = "SoCo: multiply the budget term by the number of scores (per-score) or not (plain) [OURS] (default ${DEFAULT-VALUE}).")
    String socoBudgetScale = "plain";

    @Option(names = "--soco-polish", paramLabel = "STEPS",
            description = "SoCo: steps of distillation on the kept scores after the hard prune, at the phase-1 rate (§4.8 step 8) [OURS] (default ${DEFAULT-VALUE}).")
    int socoPolish = 100;

    @Option(names = "--soco-fill-budget", paramLabel = "on|off",
            description = "SoCo: fill budget left by dead components with the best-scored dead ones at multiplier 1 [OURS] (default ${DEFAULT-VALUE}).")
    String socoFillBudget = "on";

    @Option(names = "--soco-deviation", paramLabel = "on|off",
            description = "SoCo: train a per-output deviation vector d added to each compressed projection (§4.8 step 7; stored "
                    + "as a bias, which LLaMA exports cannot hold) [OURS] (default ${DEFAULT-VALUE}).")
    String socoDeviation = "off";

    @Option(names = "--soco-batch", paramLabel = "N", description = "SoCo calibration windows per step [OURS] (default ${DEFAULT-VALUE}).")
    int socoBatch = 4;

    @Option(names = "--soco-batch-length", paramLabel = "L",
            description = "SoCo tokens per window; 0 = the calibration length (default ${DEFAULT-VALUE}).")
    int socoBatchLength = 128;

    @Option(names = "--soco-seed", paramLabel = "N", description = "Seed of SoCo's batch order (default ${DEFAULT-VALUE}).")
    long socoSeed = 3;

    @Option(names = "--soco-checkpoint", paramLabel = "FILE",
            description = "Save SoCo's scores and optimiser state to FILE during training (and when cancelled).")
    java.nio.file.Path socoCheckpoint;

    @Option(names = "--soco-checkpoint-every", paramLabel = "STEPS", description = "Steps between SoCo checkpoints (default ${DEFAULT-VALUE}).")
    int socoCheckpointEvery = 50;

    @Option(names = "--soco-resume", description = "Continue SoCo training from --soco-checkpoint if that file exists.")
    boolean socoResume;

    MethodOptions options() {
        return MethodOptions.DEFAULTS
                .withWhitening(whiteningOptions())
                .withAsvd(asvdAlpha, choice("--asvd-ranks", asvdRanks, "search", "uniform"))
                .withResSvd(ressvdBeta, choice("--ressvd-metric", ressvdMetric, "plain", "whitened")
                        ? ResidualSvd.ResidualMetric.PLAIN : ResidualSvd.ResidualMetric.WHITENED, ressvdLayers, ressvdMaxLayerRatio)
                .withDuo(choice("--duo-allocation", duoAllocation, "kl", "uniform"), choice("--duo-columns", duoColumns, "on", "off"))
                .withProbe(probeSamples, probeLength, probeSeed)
                .withSoco(socoSettings())
                .withSvdLlmUpdate(new SvdLlmUpdate(choice("--svd-llm-update", svdLlmUpdate, "on", "off"), svdLlmUpdateSamples,
                        svdLlmUpdateSeed, SvdLlmUpdate.Target.parse(svdLlmUpdateTarget)))
                .withSvdLlmRatios(SvdLlmRatios.parse(svdLlmRatios));
    }

    private SocoSettings socoSettings() {
        if (socoCheckpoint != null) {
            try {
                // before training: the first save would otherwise fail only after the first checkpoint interval
                io.svdwb.engine.files.OutputLocations.checkFile(socoCheckpoint, "--soco-checkpoint");
            } catch (io.svdwb.engine.files.FileProblemException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        double[] sparse = triple("--soco-lambda-sparse", socoLambdaSparse, 2);
        double[] t = triple("--soco-temperatures", socoTemperatures, 3);
        double[] lr = triple("--soco-lr", socoLearningRates, 3);
        if (socoSteps.length != 3) {
            throw new IllegalArgumentException("--soco-steps needs three step counts E,R,S, got " + socoSteps.length);
        }
        SocoSchedule schedule = new SocoSchedule(socoSteps[0], socoSteps[1], socoSteps[2], socoLambdaRatio, socoAlternation,
                sparse[0], sparse[1], t[0], t[1], t[2], lr[0], lr[1], lr[2]);
        return new SocoSettings(schedule, socoBatch, socoBatchLength, socoSeed, socoCheckpoint, socoCheckpointEvery, socoResume,
                choice("--soco-budget-scale", socoBudgetScale, "per-score", "plain"), socoPolish,
                choice("--soco-fill-budget", socoFillBudget, "on", "off"),
                choice("--soco-deviation", socoDeviation, "on", "off"));
    }

    private static double[] triple(String option, double[] values, int count) {
        if (values.length != count) {
            throw new IllegalArgumentException(option + " needs " + count + " comma-separated numbers, got " + values.length);
        }
        return values;
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
