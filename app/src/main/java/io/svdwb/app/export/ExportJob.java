package io.svdwb.app.export;

import io.svdwb.app.CompressionSetting;
import io.svdwb.app.setup.EngineContexts;
import io.svdwb.app.setup.EngineSetup;
import io.svdwb.engine.compress.method.CompressedModels;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.CompressionResult;
import io.svdwb.engine.compress.method.Compressor;
import io.svdwb.engine.compress.method.Sweep;
import io.svdwb.engine.eval.PerplexityEvaluator;
import io.svdwb.engine.export.CheckpointExporter;
import io.svdwb.engine.export.CompressionRun;
import io.svdwb.engine.export.ExportRequest;
import io.svdwb.engine.export.ExportResult;
import io.svdwb.engine.export.FactoredCheckpoint;
import io.svdwb.engine.export.Manifest;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.progress.ProgressListener;
import java.nio.file.Path;

/**
 * The export as one background job, the same steps as {@code svdwb compress --eval --out}: compress (cheap when the
 * shared context has the decompositions), measure the compressed model in memory, write the export (or the rank
 * map alone), then read the export back from disk and measure it again with the same protocol.
 */
public final class ExportJob {

    private final EngineContexts contexts;
    private final EngineSetup setup;
    private final CompressionSetting choice;

    public ExportJob(EngineContexts contexts, EngineSetup setup, CompressionSetting choice) {
        this.contexts = contexts;
        this.setup = setup;
        this.choice = choice;
    }

    public ExportOutcome run(ExportKind kind, Path target, boolean overwrite, ProgressListener progress) throws Exception {
        CompressionContext context = contexts.context(setup);
        Sweep.Evaluation evaluation = contexts.evaluation(setup);
        String protocol = setup.evaluation().protocol(evaluation.ctx());
        CompressionResult result = new Compressor(context).compress(choice.request(), progress);
        progress.throwIfCancelled();
        boolean calibrated = choice.method().needsCalibration();
        CompressionRun run = new CompressionRun(choice.method().cliName(), choice.ratio(),
                calibrated ? String.valueOf(context.calibrationText()) : null,
                calibrated ? context.calibrationSettings().samples() : 0, calibrated ? context.calibrationLength() : 0,
                context.calibrationSettings().seed(), toolVersion(), kind == ExportKind.RANK_MAP_ONLY ? "not evaluated" : protocol);
        Manifest manifest = Manifest.describe(run, context.checkpoint(), result.replacements());
        if (kind == ExportKind.RANK_MAP_ONLY) {
            RankMapWriter.write(manifest, target, context.modelDir(), overwrite);
            return new ExportOutcome(target.toAbsolutePath().normalize(), kind, 0, 0, Double.NaN, Double.NaN, protocol);
        }

        LlamaModel compressed = CompressedModels.install(new LlamaModel(context.checkpoint(), LinearAlgebra.cpu(),
                LlamaModel.Residency.KEEP), result);
        double inMemory = evaluate(compressed, evaluation, progress);
        ExportResult written = new CheckpointExporter(LinearAlgebra.cpu()).export(
                new ExportRequest(context.checkpoint(), result.replacements(), manifest, kind.format(), overwrite,
                        result.exportSidecars()), target, progress);
        double reloaded;
        try (Checkpoint exported = FactoredCheckpoint.open(written.folder())) {
            reloaded = evaluate(FactoredCheckpoint.model(exported, LinearAlgebra.cpu(), LlamaModel.Residency.KEEP), evaluation, progress);
        }
        return new ExportOutcome(written.folder(), kind, written.parameters(), written.weightBytes(), inMemory, reloaded, protocol);
    }

    private static double evaluate(LlamaModel model, Sweep.Evaluation e, ProgressListener progress) {
        return new PerplexityEvaluator(model).evaluate(e.tokens(), e.ctx(), e.maxTokens(), e.batch(), progress).perplexity();
    }

    /** As the CLI writes it into manifests. */
    static String toolVersion() {
        String version = ExportJob.class.getPackage().getImplementationVersion();
        return "svd-workbench " + (version != null ? version : "development build");
    }
}
