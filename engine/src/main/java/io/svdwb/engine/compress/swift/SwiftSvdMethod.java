package io.svdwb.engine.compress.swift;

import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.LowRankFactors;
import io.svdwb.engine.compress.search.CalibrationProbe;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.CompressionMethod;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.DecompositionRecipe;
import io.svdwb.engine.compress.method.MethodOption;
import io.svdwb.engine.compress.method.MethodRun;
import io.svdwb.engine.compress.method.MethodSettings;
import io.svdwb.engine.compress.method.Probes;
import io.svdwb.engine.compress.method.ResultAssembly;
import io.svdwb.engine.compress.method.SharedOptions;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LowRankLinear;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Swift-SVD (§4.10): every selected matrix from one eigendecomposition of its output covariance (cached like every
 * decomposition, so another ratio or allocation is slicing), at uniform ranks k(rho) or at the repository's dynamic
 * ranks (layer Block Influence x output norm, per projection type, within each type's uniform budget).
 */
public final class SwiftSvdMethod implements CompressionMethod {

    @Override
    public String name() {
        return "swift-svd";
    }

    @Override
    public String summary() {
        return "Swift-SVD: W' = U_k U_k^T W from one eigendecomposition of the output covariance, dynamic ranks (§4.10)";
    }

    @Override
    public boolean needsCalibration() {
        return true;
    }

    @Override
    public List<MethodOption> options() {
        List<MethodOption> options = new ArrayList<>(SwiftSvdOptions.OPTIONS);
        options.addAll(SharedOptions.PROBE);
        return options;
    }

    @Override
    public List<Knob> workbenchKnobs() {
        return List.of(new Knob(SwiftSvdOptions.ALLOCATION, "ranks"), new Knob(SwiftSvdOptions.ALPHA, "α", 0.05));
    }

    @Override
    public String describe(MethodSettings settings) {
        return SwiftSvdOptions.of(settings).key();
    }

    @Override
    public String lossMetric() {
        return "‖W X − W′ X‖ on calibration tokens";
    }

    @Override
    public void validate(MethodSettings settings) {
        SwiftSvdOptions.of(settings);
    }

    @Override
    public boolean takesGivenRanks() {
        return true;
    }

    @Override
    public RankedFactoring atGivenRanks(MethodRun run) {
        return RankedFactoring.truncation(run.context(), new OutputCovarianceRecipe());
    }

    @Override
    public void apply(MethodRun run) {
        apply(run.context(), run.request(), run.selected(), run.result(), run.progress());
    }

    private static void apply(CompressionContext context, CompressionRequest request, List<MatrixSpec> selected, ResultAssembly result,
            ProgressListener progress) {
        SwiftSvdOptions options = SwiftSvdOptions.of(request.settings());
        DecompositionRecipe recipe = new OutputCovarianceRecipe();
        List<LowRankDecomposition> decompositions = new ArrayList<>();
        progress.begin("Swift-SVD: output-covariance eigendecompositions of " + selected.size() + " matrices", selected.size());
        try {
            for (MatrixSpec matrix : selected) {
                progress.throwIfCancelled();
                decompositions.add(context.decomposition(recipe, matrix, ProgressListener.NONE));
                progress.advanceTo(decompositions.size());
            }
        } finally {
            progress.end();
        }
        // the uniform ranks, and so each type's budget of the dynamic allocation, from the factors' own budget: parameters,
        // or bits with int8 factors (§2.6); within a type every matrix has one shape, so ranks and bits move together
        result.ranksFromBitBudget();
        int[] ranks = options.allocation() == SwiftSvdOptions.Allocation.UNIFORM
                ? selected.stream().mapToInt(m -> result.factorStorage().rank(m.rows(), m.cols(), request.ratio())).toArray()
                : dynamicRanks(context, request, selected, decompositions, result, progress);
        for (int i = 0; i < selected.size(); i++) {
            LowRankDecomposition d = decompositions.get(i);
            result.lowRank(selected.get(i), d, ranks[i]);
        }
        result.detail("swift.allocation", options.key());
    }

    private static int[] dynamicRanks(CompressionContext context, CompressionRequest request, List<MatrixSpec> selected,
            List<LowRankDecomposition> decompositions, ResultAssembly result, ProgressListener progress) {
        SwiftSvdOptions swift = SwiftSvdOptions.of(request.settings());
        SharedOptions.ProbeWindows options = SharedOptions.probe(request.settings());
        int layers = selected.stream().mapToInt(MatrixSpec::layer).max().orElseThrow() + 1;
        double[] influence = importance(context, options, layers, progress);
        List<SwiftRankAllocation.Matrix> matrices = new ArrayList<>();
        for (int i = 0; i < selected.size(); i++) {
            MatrixSpec m = selected.get(i);
            matrices.add(new SwiftRankAllocation.Matrix(m.kind().name(), m.layer(), m.rows(), m.cols(),
                    result.factorStorage().rank(m.rows(), m.cols(), request.ratio()), decompositions.get(i).truncationLoss(0)));
        }
        Map<Integer, Double> byLayer = new LinkedHashMap<>();
        for (int layer = 0; layer < layers; layer++) {
            byLayer.put(layer, influence[layer]);
        }
        result.detail("swift.block_influence", byLayer.values().stream()
                .map(v -> String.format(Locale.ROOT, "%.4f", v)).collect(Collectors.joining(" ")));
        double kept = RankFromRatio.keptRatio(request.ratio());
        if (swift.alphaGrid().isEmpty()) {
            return SwiftRankAllocation.allocate(matrices, byLayer, kept, swift.alpha());
        }
        return bestOnGrid(context, options, swift.alphaGrid(), selected, decompositions, matrices, byLayer, kept, result, progress);
    }

    /** The grid's alpha whose ranks give the lowest calibration perplexity on the probe windows (ties: the first). */
    private static int[] bestOnGrid(CompressionContext context, SharedOptions.ProbeWindows options, List<Double> grid,
            List<MatrixSpec> selected,
            List<LowRankDecomposition> decompositions, List<SwiftRankAllocation.Matrix> matrices, Map<Integer, Double> byLayer,
            double kept, ResultAssembly result, ProgressListener progress) {
        CalibrationProbe probe = Probes.probe(context, options, CalibrationProbe.Measures.NLL_ONLY, progress);
        int[] best = null;
        double bestPerplexity = Double.POSITIVE_INFINITY;
        double bestAlpha = Double.NaN;
        StringBuilder tried = new StringBuilder();
        for (double alpha : grid) {
            progress.throwIfCancelled();
            int[] ranks = SwiftRankAllocation.allocate(matrices, byLayer, kept, alpha);
            Map<String, Linear> replacements = new LinkedHashMap<>();
            for (int i = 0; i < selected.size(); i++) {
                LowRankFactors f = decompositions.get(i).truncate(ranks[i]).asFloat();
                replacements.put(selected.get(i).kind().moduleName(selected.get(i).layer()),
                        new LowRankLinear(f.a(), f.b(), context.bias(selected.get(i)), context.linearAlgebra()));
            }
            double perplexity = Probes.exclusively(probe, progress, () -> {
                probe.setBase(Map.of());
                return Math.exp(probe.meanNll(replacements));
            });
            tried.append(tried.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s: %.4f", alpha, perplexity));
            if (perplexity < bestPerplexity) {
                best = ranks;
                bestPerplexity = perplexity;
                bestAlpha = alpha;
            }
        }
        if (best == null) {
            throw new IllegalStateException("Swift-SVD alpha grid " + grid + ": no alpha gave a finite calibration perplexity ("
                    + tried + ")");
        }
        result.detail("swift.alpha_grid", tried.toString());
        result.detail("swift.alpha", String.valueOf(bestAlpha));
        return best;
    }

    /** Block Influence of the uncompressed model on the probe windows, memoised per context. */
    private static double[] importance(CompressionContext context, SharedOptions.ProbeWindows options, int layers,
            ProgressListener progress) {
        int length = options.length() > 0 ? options.length() : context.calibrationLength();
        String key = "swift block influence " + options.samples() + "x" + length + " seed " + options.seed()
                + " layers " + layers;
        return context.memo(key, () -> {
            int[][] windows = context.probeWindows(options.samples(), length, options.seed()).windows();
            context.note(String.format(Locale.ROOT, "Swift-SVD block influence: %d windows x %d tokens from %s (seed %d)",
                    windows.length, length, context.calibrationText().getFileName(), options.seed()));
            return BlockInfluence.measure(context.model(), windows, Math.max(1, 1024 / length), layers, progress);
        });
    }
}
