package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.kernels.AsvdScaling;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** ASVD (§4.3): activation-scaled decompositions, at uniform ranks or at the ranks of its sensitivity search. */
final class AsvdMethod implements CompressionMethod {

    static final MethodOption.Number ALPHA = MethodOption.Number.real("asvd-alpha", AsvdScaling.DEFAULT_ALPHA, 0, 4,
            "ASVD scaling exponent.");

    static final MethodOption.Choice RANKS = new MethodOption.Choice("asvd-ranks", List.of("search", "uniform"), "search",
            "ASVD ranks: its sensitivity search on calibration perplexity (§4.3, candidates 0.4..0.9, 0.1..0.9 above 40% "
                    + "compression [OURS]) or uniform k(rho).");

    @Override
    public String name() {
        return "asvd";
    }

    @Override
    public String summary() {
        return "activation-aware SVD: input channels scaled by mean |x|^alpha (§4.3)";
    }

    @Override
    public String lossMetric() {
        return "‖(W − W′) S‖ with ASVD's activation scaling S";
    }

    @Override
    public boolean needsCalibration() {
        return true;
    }

    @Override
    public List<MethodOption> options() {
        List<MethodOption> options = new ArrayList<>(List.of(ALPHA, RANKS));
        options.addAll(SharedOptions.PROBE);
        return options;
    }

    @Override
    public List<Knob> workbenchKnobs() {
        return List.of(new Knob(ALPHA, "α", 0.05), new Knob(RANKS, "ranks"));
    }

    @Override
    public String describe(MethodSettings settings) {
        return String.format(Locale.ROOT, "α %.2f, %s", settings.number(ALPHA),
                settings.choice(RANKS).equals("search") ? "rank search" : "uniform ranks");
    }

    @Override
    public boolean takesGivenRanks() {
        return true;
    }

    /** The imported rank instead of the search's [OURS, §2.7]. */
    @Override
    public RankedFactoring atGivenRanks(MethodRun run) {
        return RankedFactoring.truncation(run.context(), new DecompositionRecipe.ActivationScaled(run.settings().number(ALPHA)));
    }

    @Override
    public void apply(MethodRun run) {
        DecompositionRecipe recipe = new DecompositionRecipe.ActivationScaled(run.settings().number(ALPHA));
        if (run.settings().choice(RANKS).equals("uniform")) {
            run.result().detail("asvd.ranks", "uniform k(rho)");
            UniformRankMethod.apply(run, recipe);
            return;
        }
        AsvdRankChoice.apply(run.context(), recipe, run.request(), run.selected(), run.result(), run.progress());
    }
}
