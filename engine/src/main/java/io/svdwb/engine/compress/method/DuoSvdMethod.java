package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.kernels.Whitening;

import io.svdwb.engine.compress.duo.ColumnExchange;
import io.svdwb.engine.compress.duo.ColumnPreservingFactors;
import io.svdwb.engine.compress.duo.ColumnPreservingSvd;
import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Duo-SVD (§4.6): a kept ratio per module from the KL-sensitivity knapsack (or the uniform one), then per
 * matrix the column-preserving factorisation at that module's rank budget. Columns bought with traded ranks
 * are rounded DOWN [OURS; the reference rounds to nearest, which can overshoot the budget by half a column].
 */
final class DuoSvdMethod implements CompressionMethod {

    static final MethodOption.Choice ALLOCATION = new MethodOption.Choice("duo-allocation", List.of("kl", "uniform"), "kl",
            "Duo-SVD ranks: KL-sensitivity knapsack over modules (§4.6) or uniform.");

    static final MethodOption.Choice COLUMNS = MethodOption.Choice.onOff("duo-columns", true,
            "Duo-SVD column-preserving factors (§4.6 step 4).");

    @Override
    public String name() {
        return "duo-svd";
    }

    @Override
    public String summary() {
        return "Duo-SVD: KL-sensitivity module allocation + column-preserving factors (§4.6)";
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
        List<MethodOption> options = new java.util.ArrayList<>(List.of(SharedOptions.WHITENING, ALLOCATION, COLUMNS));
        options.addAll(SharedOptions.PROBE);
        return options;
    }

    @Override
    public List<Knob> workbenchKnobs() {
        return List.of(new Knob(COLUMNS, "column preserving"));
    }

    @Override
    public String describe(MethodSettings settings) {
        return settings.on(COLUMNS) ? "column preserving" : "plain whitened factors";
    }

    @Override
    public boolean takesGivenRanks() {
        return true;
    }

    /**
     * The imported rank is the module's budget rank instead of the knapsack's (the allocation is skipped); the
     * column-preserving step still trades ranks for dense columns within that budget [OURS, §2.7].
     */
    @Override
    public RankedFactoring atGivenRanks(MethodRun run) {
        CompressionContext context = run.context();
        Whitening.Options whitening = SharedOptions.whitening(run.settings());
        RankedFactoring plain = RankedFactoring.truncation(context, new DecompositionRecipe.Whitened(whitening));
        if (!run.settings().on(COLUMNS)) {
            return plain;
        }
        ColumnPreservingSvd.Options cp = columnOptions(whitening);
        return (matrix, k, result) -> {
            if ((long) k * (matrix.rows() + matrix.cols()) > matrix.parameters()) {
                // no column trade exists above break-even (§2.3): the plain whitened factors at the imported rank [OURS]
                context.note(matrix.label() + ": imported rank " + k + " is above break-even; plain whitened factors, no kept columns");
                plain.apply(matrix, k, result);
                return;
            }
            ColumnPreservingFactors f = ColumnPreservingSvd.decompose(context.linearAlgebra(), context.weight(matrix),
                    context.statistics(matrix, ProgressListener.NONE).gram(), k, cp, matrix.label());
            result.replace(matrix, f.toLinear(context.bias(matrix), context.linearAlgebra()),
                    new ModuleOutcome(matrix, f.kc(), f.q(), f.stored(), f.loss()));
        };
    }

    private static ColumnPreservingSvd.Options columnOptions(Whitening.Options whitening) {
        return new ColumnPreservingSvd.Options(ColumnPreservingSvd.Options.REFERENCE.acceptanceThreshold(),
                ColumnExchange.Rounding.FLOOR, ColumnPreservingSvd.Options.REFERENCE.minWidth(),
                ColumnPreservingSvd.Options.REFERENCE.maxIterations(), false, whitening);
    }

    @Override
    public void apply(MethodRun run) {
        apply(run.context(), run.request(), run.selected(), run.result(), run.progress());
    }

    private static void apply(CompressionContext context, CompressionRequest request, List<MatrixSpec> selected,
            ResultAssembly result, ProgressListener progress) {
        MethodSettings options = request.settings();
        boolean klAllocation = options.choice(ALLOCATION).equals("kl");
        boolean columnPreserving = options.on(COLUMNS);
        Whitening.Options whitening = SharedOptions.whitening(options);
        double rho0 = RankFromRatio.keptRatio(request.ratio());
        Map<String, Double> kept = klAllocation
                ? DuoAllocationChoice.keptRatios(context, request, selected, result, progress)
                : uniform(selected, rho0);
        result.detail("duo.allocation", klAllocation ? "KL-sensitivity knapsack" : "uniform");
        ColumnPreservingSvd.Options cp = columnOptions(whitening);
        DecompositionRecipe whitened = new DecompositionRecipe.Whitened(whitening);
        int splitMatrices = 0;
        progress.begin("Duo-SVD: column-preserving factors", selected.size());
        try {
            for (int i = 0; i < selected.size(); i++) {
                progress.throwIfCancelled();
                MatrixSpec matrix = selected.get(i);
                double p = kept.get(matrix.kind().moduleName(matrix.layer()));
                if (p >= 1.0) {
                    result.dense(matrix);
                } else {
                    int k = RankFromRatio.rank(matrix.rows(), matrix.cols(), 1 - p);
                    if (columnPreserving) {
                        ColumnPreservingFactors f = ColumnPreservingSvd.decompose(context.linearAlgebra(), context.weight(matrix),
                                context.statistics(matrix, ProgressListener.NONE).gram(), k, cp, matrix.label());
                        splitMatrices += f.q() > 0 ? 1 : 0;
                        result.replace(matrix, f.toLinear(context.bias(matrix), context.linearAlgebra()),
                                new ModuleOutcome(matrix, f.kc(), f.q(), f.stored(), f.loss()));
                    } else {
                        LowRankDecomposition d = context.decomposition(whitened, matrix, ProgressListener.NONE);
                        result.lowRank(matrix, d, k);
                    }
                }
                progress.advanceTo(i + 1);
            }
        } finally {
            progress.end();
        }
        if (columnPreserving) {
            result.detail("duo.columns", String.format(Locale.ROOT, "%d of %d matrices keep dense columns", splitMatrices,
                    selected.size()));
        }
    }

    private static Map<String, Double> uniform(List<MatrixSpec> selected, double rho0) {
        Map<String, Double> kept = new java.util.HashMap<>();
        for (MatrixSpec m : selected) {
            kept.put(m.kind().moduleName(m.layer()), rho0);
        }
        return kept;
    }
}
