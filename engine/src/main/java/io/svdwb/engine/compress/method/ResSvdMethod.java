package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.compress.kernels.ResidualSvd;
import io.svdwb.engine.compress.kernels.Whitening;
import io.svdwb.engine.compress.search.ResSvdLayerSearch;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.List;
import java.util.Locale;

/**
 * ResSVD (§4.7): partial-layer compression (only the last k selected layers, each at R_l = N R_o / k) with
 * residual compensation (two whitened truncations, the second of the weight-space residual).
 */
final class ResSvdMethod implements CompressionMethod {

    static final MethodOption.Number BETA = MethodOption.Number.real("ressvd-beta", ResidualSvd.DEFAULT_BETA, 0, 0.999,
            "ResSVD residual rank share of mn/(m+n).");

    static final MethodOption.Choice METRIC = new MethodOption.Choice("ressvd-metric", List.of("whitened", "plain"), "whitened",
            "ResSVD second stage: whitened residual [OURS default] or plain SVD of the residual.");

    static final MethodOption.Number LAYERS = MethodOption.Number.integer("ressvd-layers", 0, 0, 100_000,
            "ResSVD: compress only the last K selected layers; 0 = choose K by calibration perplexity [OURS rule].");

    static final MethodOption.Number MAX_LAYER_RATIO = MethodOption.Number.real("ressvd-max-layer-ratio", 0.9, 0.001, 0.999,
            "ResSVD: largest per-layer ratio a K may need [OURS].");

    /** What the numerics read from the settings. */
    record Knobs(Whitening.Options whitening, double beta, ResidualSvd.ResidualMetric metric, int layers, double maxLayerRatio) {
        static Knobs of(MethodSettings s) {
            return new Knobs(SharedOptions.whitening(s), s.number(BETA), s.choice(METRIC).equals("plain")
                    ? ResidualSvd.ResidualMetric.PLAIN : ResidualSvd.ResidualMetric.WHITENED, s.integer(LAYERS), s.number(MAX_LAYER_RATIO));
        }
    }

    @Override
    public String name() {
        return "ressvd";
    }

    @Override
    public String summary() {
        return "ResSVD: whitened residual compensation + compress only the last k layers (§4.7)";
    }

    /** Its first, whitened stage cut at the combined rank (none with the plain residual metric). */
    @Override
    public String lossMetric() {
        return "‖W X − W_k X‖ of the whitened cut at the combined rank k";
    }

    @Override
    public boolean needsCalibration() {
        return true;
    }

    @Override
    public List<MethodOption> options() {
        List<MethodOption> options = new java.util.ArrayList<>(List.of(SharedOptions.WHITENING, BETA, METRIC, LAYERS, MAX_LAYER_RATIO));
        options.addAll(SharedOptions.PROBE);
        return options;
    }

    @Override
    public List<Knob> workbenchKnobs() {
        return List.of(new Knob(BETA, "β"), new Knob(LAYERS, "last k layers (0 = search)"));
    }

    @Override
    public String describe(MethodSettings settings) {
        int layers = settings.integer(LAYERS);
        return String.format(Locale.ROOT, "β %.2f, %s", settings.number(BETA), layers == 0 ? "layer count by search" : "last " + layers + " layers");
    }

    @Override
    public boolean takesGivenRanks() {
        return true;
    }

    /** The imported rank is the total r = r1 + r2 of the residual compensation (r2 from beta as usual) [OURS, §2.7]. */
    @Override
    public RankedFactoring atGivenRanks(MethodRun run) {
        CompressionContext context = run.context();
        Knobs options = Knobs.of(run.settings());
        DecompositionRecipe recipe = new DecompositionRecipe.Whitened(options.whitening());
        return (matrix, k, result) -> {
            ResidualSvd.Composition c = compositionAtRank(context, options, recipe, matrix, k);
            double loss = options.metric() == ResidualSvd.ResidualMetric.WHITENED
                    ? context.decomposition(recipe, matrix, ProgressListener.NONE).truncationLoss(c.combined().rank())
                    : Double.NaN;
            result.lowRank(matrix, c.combined(), loss);
        };
    }

    @Override
    public void apply(MethodRun run) {
        apply(run.context(), run.request(), run.selected(), run.result(), run.progress());
    }

    private static void apply(CompressionContext context, CompressionRequest request, List<MatrixSpec> selected,
            ResultAssembly result, ProgressListener progress) {
        Knobs options = Knobs.of(request.settings());
        ResSvdLayerSearch.Plan plan = options.layers() == 0
                ? ResSvdLayerChoice.choose(context, request, selected, result, progress)
                : ResSvdLayerSearch.plan(selected, request.ratio(), options.layers(), options.maxLayerRatio());
        List<Integer> compressed = plan.compressedLayers();
        int n = (int) selected.stream().mapToInt(MatrixSpec::layer).distinct().count();
        result.detail("ressvd.layers", plan.k() + " of " + n + " (layers " + compressed.get(0) + "-" + compressed.get(plan.k() - 1) + ")");
        result.detail("ressvd.layer_ratio", String.format(Locale.ROOT, "%.4f", plan.layerRatio()));
        result.detail("ressvd.beta", Double.toString(options.beta()));
        DecompositionRecipe recipe = new DecompositionRecipe.Whitened(options.whitening());
        progress.begin(String.format(Locale.ROOT, "ResSVD: residual compensation at %.3f in %d layers", plan.layerRatio(),
                compressed.size()), selected.size());
        try {
            for (int i = 0; i < selected.size(); i++) {
                progress.throwIfCancelled();
                MatrixSpec matrix = selected.get(i);
                if (!compressed.contains(matrix.layer())) {
                    result.dense(matrix);
                } else {
                    ResidualSvd.Composition c = composition(context, options, recipe, matrix, plan.layerRatio());
                    double loss = options.metric() == ResidualSvd.ResidualMetric.WHITENED
                            ? context.decomposition(recipe, matrix, ProgressListener.NONE).truncationLoss(c.combined().rank())
                            : Double.NaN;
                    result.lowRank(matrix, c.combined(), loss);
                }
                progress.advanceTo(i + 1);
            }
        } finally {
            progress.end();
        }
    }

    /** The two-stage factors of one matrix at rank r = k(1 - R_l), r_r = round(beta mn/(m+n)). */
    static ResidualSvd.Composition composition(CompressionContext context, Knobs options, DecompositionRecipe recipe,
            MatrixSpec matrix, double layerRatio) {
        return compositionAtRank(context, options, recipe, matrix, RankFromRatio.rank(matrix.rows(), matrix.cols(), layerRatio));
    }

    /** The two-stage factors of one matrix at total rank r (an imported one, §2.7): r_r = residualRank(r, beta), r_1 = r - r_r. */
    static ResidualSvd.Composition compositionAtRank(CompressionContext context, Knobs options, DecompositionRecipe recipe,
            MatrixSpec matrix, int r) {
        int residual = ResidualSvd.residualRank(matrix.rows(), matrix.cols(), r, options.beta());
        Whitening.Result s = context.whitening(matrix, options.whitening(), ProgressListener.NONE);
        LowRankDecomposition stage1 = context.decomposition(recipe, matrix, ProgressListener.NONE);
        return ResidualSvd.compose(context.linearAlgebra(), stage1, context.weight(matrix), s.factor(), r - residual, residual,
                options.metric(), matrix.label());
    }
}
