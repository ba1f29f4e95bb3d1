package io.svdwb.engine.pipeline;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.compress.method.MethodSettings;
import io.svdwb.engine.compress.quant.FactorStorage;
import io.svdwb.engine.compress.rankmap.RankMap;
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
    /** Every cell's starting allocation (docs/METHODS.md §2.7); null: each method chooses its ranks. */
    private final RankMap startingRanks;
    /** How every cell's factors are stored (docs/METHODS.md §2.6). */
    private final FactorStorage storage;

    public Sweep(CompressionPipeline pipeline) {
        this(pipeline, null, FactorStorage.BASELINE);
    }

    private Sweep(CompressionPipeline pipeline, RankMap startingRanks, FactorStorage storage) {
        this.pipeline = pipeline;
        this.startingRanks = startingRanks;
        this.storage = storage;
    }

    /** The same sweep with every cell starting from {@code map}'s ranks (null: none). */
    public Sweep startingFrom(RankMap map) {
        return new Sweep(pipeline, map, storage);
    }

    /** The same sweep with every cell's factors stored as {@code factorStorage}. */
    public Sweep storedAs(FactorStorage factorStorage) {
        return new Sweep(pipeline, startingRanks, factorStorage);
    }

    /** A method with its settings: one sweep can hold the same method twice (svd-llm with and without its update). */
    public record Variant(MethodId method, MethodSettings settings) {
    }

    /**
     * Runs the grid in method-major order, each method with {@code settings.apply(method)}; {@code onRow} sees every row
     * as soon as it is done.
     */
    public List<SweepRow> run(List<MethodId> methods, List<Double> ratios, Selection selection,
            java.util.function.Function<MethodId, MethodSettings> settings,
            EvaluationProtocol evaluation, MemoryPolicy memory, ProgressListener progress, Consumer<SweepRow> onRow) throws IOException {
        return runVariants(methods.stream().map(m -> new Variant(m, settings.apply(m))).toList(), ratios, selection, evaluation, memory,
                progress, onRow);
    }

    /** As {@link #run} with each row's method and settings given. */
    public List<SweepRow> runVariants(List<Variant> variants, List<Double> ratios, Selection selection, EvaluationProtocol evaluation,
            MemoryPolicy memory, ProgressListener progress, Consumer<SweepRow> onRow) throws IOException {
        for (Variant variant : variants) {
            for (double ratio : ratios) {
                // a method that cannot take the rank map stops the sweep now, not after the baseline
                new CompressionRequest(variant.method(), ratio, selection, variant.settings(), startingRanks, storage);
            }
        }
        List<SweepRow> rows = new ArrayList<>();
        SweepRow baseline = new SweepRow(null, 0, pipeline.evaluateUncompressed(evaluation, memory,
                RenamedPhase.of(progress, PerplexityEvaluator.PHASE, "Evaluating the uncompressed model")), null);
        rows.add(baseline);
        onRow.accept(baseline);
        int cell = 0;
        int cells = variants.size() * ratios.size();
        for (Variant variant : variants) {
            MethodId method = variant.method();
            for (double ratio : ratios) {
                cell++;
                progress.throwIfCancelled();
                String label = String.format(Locale.ROOT, "[%d/%d] Evaluating %s at %.2f", cell, cells, method, ratio);
                PipelineRequest request = new PipelineRequest(new CompressionRequest(method, ratio, selection, variant.settings(), startingRanks, storage), evaluation,
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
