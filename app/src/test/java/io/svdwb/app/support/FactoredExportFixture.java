package io.svdwb.app.support;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.export.ExportFormat;
import io.svdwb.engine.pipeline.CompressionPipeline;
import io.svdwb.engine.pipeline.ExportTarget;
import io.svdwb.engine.pipeline.PipelineRequest;
import io.svdwb.engine.progress.ProgressListener;
import java.nio.file.Path;

/** A factored export of the demo model by plain SVD, as {@code svdwb compress --format factored} writes it, made by the engine alone. */
public final class FactoredExportFixture {

    private FactoredExportFixture() {
    }

    /** Compresses the demo model by {@code method} at {@code ratio} and writes a factored export to {@code target}. */
    public static Path export(Path target, MethodId method, double ratio) throws Exception {
        try (CompressionContext context = DemoEngine.openContext(DemoEngine.setup())) {
            CompressionRequest request = new CompressionRequest(method, ratio, Selection.all(context.checkpoint().config()));
            return new CompressionPipeline(context).run(PipelineRequest.of(request)
                    .exportedTo(new ExportTarget(target, ExportFormat.FACTORED, false, false)), ProgressListener.NONE).export().folder();
        }
    }
}
