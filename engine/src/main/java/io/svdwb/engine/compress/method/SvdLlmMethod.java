package io.svdwb.engine.compress.method;

import io.svdwb.engine.model.MatrixSpec;
import java.util.List;
import java.util.Map;

/**
 * §4.4 SVD-LLM (W): Cholesky whitening, truncation-aware, uniform ranks; optionally SVD-LLM V2's loss-based ratios (§4.5)
 * and the closed-form update of A on propagated windows (§4.4, the arXiv v1 "whitening then update").
 */
final class SvdLlmMethod implements CompressionMethod {

    static final MethodOption.Choice UPDATE = MethodOption.Choice.onOff("svd-llm-update", false,
            "svd-llm: after whitening, keep B and re-solve A in closed form layer by layer on propagated update windows (§4.4, the "
                    + "arXiv v1 \"whitening then update\").");
    static final MethodOption.Number UPDATE_SAMPLES = MethodOption.Number.integer("svd-llm-update-samples", SvdLlmUpdate.OFF.samples(), 1,
            1 << 20, "Windows (of the calibration length) the update fits A on (16, as the reference script).");
    static final MethodOption.Number UPDATE_SEED = MethodOption.Number.integer("svd-llm-update-seed", SvdLlmUpdate.OFF.seed(), 0,
            Integer.MAX_VALUE, "Seed of the update windows (0, the script's).");
    static final MethodOption.Choice UPDATE_TARGET = new MethodOption.Choice("svd-llm-update-target", List.of("current", "original"),
            "current", "Outputs A is fitted to: current = the original projection on the propagated inputs (the reference's); "
                    + "original = the uncompressed model's outputs [OURS].");
    static final MethodOption.Choice RATIOS = new MethodOption.Choice("svd-llm-ratios", List.of("uniform", "v2"), "uniform",
            "svd-llm ratios: uniform k(rho), or SVD-LLM V2's loss-based ratios within each matrix type (§4.5).");

    @Override
    public String name() {
        return "svd-llm";
    }

    @Override
    public String summary() {
        return "SVD-LLM (W): Cholesky whitening, truncation-aware (§4.4); V2 ratios and the closed-form update as options";
    }

    @Override
    public String lossMetric() {
        return "‖W X − W′ X‖ on calibration tokens";
    }

    @Override
    public boolean needsCalibration() {
        return true;
    }

    @Override
    public List<MethodOption> options() {
        return List.of(SharedOptions.WHITENING, RATIOS, UPDATE, UPDATE_SAMPLES, UPDATE_SEED, UPDATE_TARGET);
    }

    @Override
    public List<Knob> workbenchKnobs() {
        return List.of(new Knob(RATIOS, "ratios"), new Knob(UPDATE, "closed-form update"));
    }

    @Override
    public String describe(MethodSettings settings) {
        String ratios = settings.choice(RATIOS).equals("v2") ? "V2 ratios" : "";
        String update = settings.on(UPDATE) ? "update" : "";
        return String.join(", ", java.util.stream.Stream.of(ratios, update).filter(s -> !s.isEmpty()).toList());
    }

    /** Sweep names for the options worth comparing in one table: {@code svd-llm+update}, {@code svd-llm+v2}. */
    @Override
    public Map<String, Map<String, String>> sweepVariants() {
        return Map.of("update", Map.of(UPDATE.name(), "on"), "v2", Map.of(RATIOS.name(), "v2"));
    }

    @Override
    public boolean takesGivenRanks() {
        return true;
    }

    @Override
    public RankedFactoring atGivenRanks(MethodRun run) {
        return RankedFactoring.truncation(run.context(), new DecompositionRecipe.Whitened(SharedOptions.whitening(run.settings())));
    }

    @Override
    public void apply(MethodRun run) {
        DecompositionRecipe whitened = new DecompositionRecipe.Whitened(SharedOptions.whitening(run.settings()));
        boolean v2 = run.settings().choice(RATIOS).equals("v2");
        if (!v2 && !run.settings().on(UPDATE)) {
            UniformRankMethod.apply(run, whitened);
            return;
        }
        Map<MatrixSpec, Integer> ranks = SvdLlmRanks.of(run.context(), whitened, run.selected(), run.ratio(),
                v2 ? SvdLlmRatios.LOSS_BASED : SvdLlmRatios.UNIFORM, run.result());
        if (run.settings().on(UPDATE)) {
            SvdLlmUpdateMethod.apply(run.context(), run.request(), ranks, run.selected(), run.result(), run.progress());
        } else {
            UniformRankMethod.apply(run.context(), whitened, ranks::get, run.selected(), run.result(), run.progress());
        }
    }

    /** The update's settings from the method's. */
    static SvdLlmUpdate update(MethodSettings settings) {
        return new SvdLlmUpdate(settings.on(UPDATE), settings.integer(UPDATE_SAMPLES), settings.longValue(UPDATE_SEED),
                SvdLlmUpdate.Target.parse(settings.choice(UPDATE_TARGET)));
    }
}
