package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.eval.PerplexityEvaluator;
import io.svdwb.engine.eval.PerplexityResult;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.progress.ProgressListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Methods x ratios -> perplexity on one evaluation text, with one {@link CompressionContext}: calibration runs
 * once and every decomposition is computed once for the whole grid. The baseline (uncompressed) row comes first.
 */
public final class Sweep {

    /** The evaluation protocol of every cell (docs/METHODS.md §5.1 with a configurable window). */
    public record Evaluation(int[] tokens, int ctx, long maxTokens, int batch) {
    }

    private final Compressor compressor;
    private final LlamaModel evaluationModel;

    public Sweep(Compressor compressor) {
        this.compressor = compressor;
        CompressionContext context = compressor.context();
        this.evaluationModel = new LlamaModel(context.checkpoint(), context.linearAlgebra(), LlamaModel.Residency.KEEP);
    }

    /** Runs the grid in method-major order; {@code onRow} sees every row as soon as it is done. */
    public List<SweepRow> run(List<MethodId> methods, List<Double> ratios, Selection selection, MethodOptions options,
            Evaluation evaluation, ProgressListener progress, Consumer<SweepRow> onRow) {
        List<SweepRow> rows = new ArrayList<>();
        evaluationModel.clearReplacements();
        SweepRow baseline = new SweepRow(null, 0, evaluate(evaluation, "Evaluating the uncompressed model", progress), null);
        rows.add(baseline);
        onRow.accept(baseline);
        int cell = 0;
        int cells = methods.size() * ratios.size();
        for (MethodId method : methods) {
            for (double ratio : ratios) {
                cell++;
                progress.throwIfCancelled();
                CompressionResult result = compressor.compress(new CompressionRequest(method, ratio, selection, options), progress);
                CompressedModels.install(evaluationModel, result);
                String label = String.format(Locale.ROOT, "[%d/%d] Evaluating %s at %.2f", cell, cells, method, ratio);
                SweepRow row = new SweepRow(method, ratio, evaluate(evaluation, label, progress), result);
                evaluationModel.clearReplacements();
                rows.add(row);
                onRow.accept(row);
            }
        }
        return rows;
    }

    private PerplexityResult evaluate(Evaluation e, String label, ProgressListener progress) {
        ProgressListener labelled = new ProgressListener() {
            @Override
            public void begin(String phase, long totalUnits) {
                progress.begin(label, totalUnits);
            }

            @Override
            public void advanceTo(long unitsDone) {
                progress.advanceTo(unitsDone);
            }

            @Override
            public void end() {
                progress.end();
            }

            @Override
            public boolean isCancelled() {
                return progress.isCancelled();
            }
        };
        return new PerplexityEvaluator(evaluationModel).evaluate(e.tokens(), e.ctx(), e.maxTokens(), e.batch(), labelled);
    }
}
