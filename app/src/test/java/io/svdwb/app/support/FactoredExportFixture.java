package io.svdwb.app.support;

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
import java.nio.file.Path;

/** A factored export of the demo model by plain SVD, as {@code svdwb compress --format factored} writes it, made by the engine alone. */
public final class FactoredExportFixture {

    private FactoredExportFixture() {
    }

    /** Compresses the demo model by {@code method} at {@code ratio} and writes a factored export to {@code target}. */
    public static Path export(Path target, MethodId method, double ratio) throws Exception {
        try (CompressionContext context = DemoEngine.openContext(DemoEngine.setup())) {
            CompressionRequest request = new CompressionRequest(method, ratio, Selection.all(context.checkpoint().config()),
                    MethodOptions.DEFAULTS);
            CompressionResult result = new Compressor(context).compress(request, ProgressListener.NONE);
            CompressionRun run = new CompressionRun(method.cliName(), ratio, String.valueOf(context.calibrationText()),
                    context.calibrationSettings().samples(), context.calibrationLength(), context.calibrationSettings().seed(),
                    "svd-workbench test", "not evaluated");
            Manifest manifest = Manifest.describe(run, context.checkpoint(), result.replacements());
            return new CheckpointExporter(LinearAlgebra.cpu()).export(new ExportRequest(context.checkpoint(), result.replacements(),
                    manifest, ExportFormat.FACTORED, false, result.exportSidecars()), target, ProgressListener.NONE).folder();
        }
    }
}
