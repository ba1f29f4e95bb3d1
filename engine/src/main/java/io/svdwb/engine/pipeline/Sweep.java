package io.svdwb.engine.pipeline;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.compress.method.MethodOptions;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.eval.PerplexityEvaluator;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.progress.RenamedPhase;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Methods x ratios -> perplexity on one evaluation text: one {@link CompressionPipeline} run per cell on one context, so
 * calibration runs once and every decomposition is computed once for the whole grid. The baseline (uncompressed) row
 * comes first.
 */
public final class Sweep {

    private final CompressionPipeline pipeline;

    public Sweep(CompressionPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** A method with its own options: one sweep can hold the same method twice (svd-llm with and without its update). */
    public record Variant(MethodId method, MethodOptions options) {
    }

    /** Runs the grid in method-major order; {@code onRow} sees every row as soon as it is done. */
    public List<SweepRow> run(List<MethodId> methods, List<Double> ratios, Selection selection, MethodOptions options,
            EvaluationProtocol evaluation, MemoryPolicy memory, ProgressListener progress, Consumer<SweepRow> onRow) throws IOException {
        return runVariants(methods.stream().map(m -> new Variant(m, options)).toList(), ratios, selection, evaluation, memory, progress,
                onRow);
    }

    /** As {@link #run}, each method with its own options. */
    public List<SweepRow> runVariants(List<Variant> methods, List<Double> ratios, Selection selection, EvaluationProtocol evaluation,
            MemoryPolicy memory, ProgressListener progress, Consumer<SweepRow> onRow) throws IOException {
        List<SweepRow> rows = new ArrayList<>();
        SweepRow baseline = new SweepRow(null, 0, pipeline.evaluateUncompressed(evaluation, memory,
                RenamedPhase.of(progress, PerplexityEvaluator.PHASE, "Evaluating the uncompressed model")), null);
        rows.add(baseline);
        onRow.accept(baseline);
        int cell = 0;
        int cells = methods.size() * ratios.size();
        for (Variant variant : methods) {
            MethodId method = variant.method();
            for (double ratio : ratios) {
                cell++;
                progress.throwIfCancelled();
                String label = String.format(Locale.ROOT, "[%d/%d] Evaluating %s at %.2f", cell, cells, method, ratio);
                PipelineRequest request = new PipelineRequest(new CompressionRequest(method, ratio, selection, variant.options()), evaluation,
                        null, memory);
                PipelineResult result = pipeline.run(request, RenamedPhase.of(progress, PerplexityEvaluator.PHASE, label));
                SweepRow row = new SweepRow(method, ratio, result.perplexity(), result.compression());
                rows.add(row);
                onRow.accept(row);
            }
        }
        return rows;
    }
}
