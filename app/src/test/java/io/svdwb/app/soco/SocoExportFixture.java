package io.svdwb.app.soco;

import io.svdwb.app.support.DemoEngine;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.CompressionResult;
import io.svdwb.engine.compress.method.Compressor;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.compress.method.MethodOptions;
import io.svdwb.engine.export.CheckpointExporter;
import io.svdwb.engine.export.CompressionRun;
import io.svdwb.engine.export.ExportFormat;
import io.svdwb.engine.export.ExportRequest;
import io.svdwb.engine.export.Manifest;
import io.svdwb.engine.linalg.LinearAlgebra;
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
                    MethodOptions.DEFAULTS.withSoco(TINY));
            CompressionResult result = new Compressor(context).compress(request, ProgressListener.NONE);
            CompressionRun run = new CompressionRun("soco", RATIO, String.valueOf(context.calibrationText()),
                    context.calibrationSettings().samples(), context.calibrationLength(), context.calibrationSettings().seed(),
                    "svd-workbench test", "not evaluated");
            Manifest manifest = Manifest.describe(run, context.checkpoint(), result.replacements());
            return new CheckpointExporter(LinearAlgebra.cpu()).export(new ExportRequest(context.checkpoint(), result.replacements(),
                    manifest, ExportFormat.FACTORED, false, result.exportSidecars()), target, ProgressListener.NONE).folder();
        }
    }
}
