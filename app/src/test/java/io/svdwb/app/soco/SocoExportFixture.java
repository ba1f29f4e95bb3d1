package io.svdwb.app.soco;

import io.svdwb.app.support.DemoEngine;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.export.ExportFormat;
import io.svdwb.engine.pipeline.CompressionPipeline;
import io.svdwb.engine.pipeline.ExportTarget;
import io.svdwb.engine.pipeline.PipelineRequest;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.soco.SocoSchedule;
import io.svdwb.engine.soco.SocoSettings;
import java.nio.file.Path;

/**
 * A tiny SoCo export of the demo model, made by the engine alone (the CLI's compress --method soco --format factored
 * path): 3 + 3 + 3 training steps on batches of 2 windows x 64 tokens, so that it takes seconds.
 */
public final class SocoExportFixture {

    public static final double RATIO = 0.4;
    /** Settings small enough for a test; the schedule's other knobs keep their defaults. */
    public static final SocoSettings TINY = SocoSettings.DEFAULTS.withSchedule(SocoSchedule.DEFAULT.withSteps(3, 3, 3)).withBatch(2, 64)
            .withPolish(0);

    private SocoExportFixture() {
    }

    /** Compresses the demo model by SoCo at {@link #RATIO} and writes a factored export with its scores file to {@code target}. */
    public static Path export(Path target) throws Exception {
        try (CompressionContext context = DemoEngine.openContext(DemoEngine.setup())) {
            CompressionRequest request = new CompressionRequest(MethodId.SOCO, RATIO, Selection.all(context.checkpoint().config()),
                    io.svdwb.engine.compress.method.SocoOptions.with(MethodId.SOCO.defaults(), TINY));
            return new CompressionPipeline(context).run(PipelineRequest.of(request)
                    .exportedTo(new ExportTarget(target, ExportFormat.FACTORED, false, false)), ProgressListener.NONE).export().folder();
        }
    }
}
