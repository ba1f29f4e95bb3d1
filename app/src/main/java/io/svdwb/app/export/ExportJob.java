package io.svdwb.app.export;

import io.svdwb.app.CompressionSetting;
import io.svdwb.app.setup.EngineContexts;
import io.svdwb.app.setup.EngineSetup;
import io.svdwb.engine.pipeline.CompressionPipeline;
import io.svdwb.engine.pipeline.ExportTarget;
import io.svdwb.engine.pipeline.PipelineRequest;
import io.svdwb.engine.pipeline.PipelineResult;
import io.svdwb.engine.progress.ProgressListener;
import java.nio.file.Path;

/**
 * The export as one background job: the engine's {@link CompressionPipeline}, as {@code svdwb compress --eval --out}
 * runs it, with the export read back from disk and measured again by the same protocol. The rank map alone is the
 * pipeline's manifest of a compression that is neither measured nor written.
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
        CompressionPipeline pipeline = contexts.pipeline(setup);
        PipelineRequest compression = PipelineRequest.of(choice.request());
        if (kind == ExportKind.RANK_MAP_ONLY) {
            PipelineResult result = pipeline.run(compression, progress);
            RankMapWriter.write(result.manifest(), target, pipeline.context().modelDir(), overwrite);
            return new ExportOutcome(target.toAbsolutePath().normalize(), kind, 0, 0, Double.NaN, Double.NaN,
                    result.manifest().evaluationProtocol());
        }
        PipelineResult result = pipeline.run(compression.evaluatedBy(setup.evaluation())
                .exportedTo(new ExportTarget(target, kind.format(), overwrite, true)), progress);
        return new ExportOutcome(result.export().folder(), kind, result.export().parameters(), result.export().weightBytes(),
                result.perplexity().perplexity(), result.reloadedPerplexity().perplexity(), result.evaluation().describe());
    }
}
