package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.kernels.LowRankFactors;
import io.svdwb.engine.compress.kernels.ResidualSvd;
import io.svdwb.engine.compress.search.CalibrationProbe;
import io.svdwb.engine.compress.search.ReplacementFactory;
import io.svdwb.engine.compress.search.ResSvdLayerSearch;
import io.svdwb.engine.model.LowRankLinear;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** ResSVD's number of compressed layers chosen by calibration perplexity (§4.7 [OURS] rule), once per context and ratio. */
final class ResSvdLayerChoice {

    private ResSvdLayerChoice() {
    }

    static ResSvdLayerSearch.Plan choose(CompressionContext context, CompressionRequest request, List<MatrixSpec> selected,
            ResultAssembly result, ProgressListener progress) {
        ResSvdMethod.Knobs options = ResSvdMethod.Knobs.of(request.settings());
        DecompositionRecipe recipe = new DecompositionRecipe.Whitened(options.whitening());
        ReplacementFactory residual = (matrix, keptRatio) -> {
            ResidualSvd.Composition c = ResSvdMethod.composition(context, options, recipe, matrix, 1 - keptRatio);
            LowRankFactors f = c.combined().asFloat();
            return new LowRankLinear(f.a(), f.b(), context.bias(matrix), context.linearAlgebra());
        };
        CalibrationProbe probe = Probes.probe(context, SharedOptions.probe(request.settings()), CalibrationProbe.Measures.NLL_ONLY, progress);
        String key = "ressvd layers " + recipe.key() + " " + options.beta() + " " + options.metric() + " "
                + options.maxLayerRatio() + " ratio " + request.ratio() + " " + probe + " " + selected;
        ResSvdLayerSearch.Result search = context.memo(key, () -> Probes.exclusively(probe, progress, () -> ResSvdLayerSearch.search(probe, selected,
                request.ratio(), options.maxLayerRatio(), residual, progress)));
        result.detail("ressvd.search", search.trials().stream()
                .map(t -> String.format(Locale.ROOT, "k=%d: ppl %.3f", t.k(), t.perplexity())).collect(Collectors.joining(", "))
                + " (calibration perplexity on " + probe.windowCount() + " probe windows)");
        return search.chosen();
    }
}
