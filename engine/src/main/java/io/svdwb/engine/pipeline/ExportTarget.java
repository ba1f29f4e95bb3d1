package io.svdwb.engine.pipeline;

import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.export.ExportFormat;
import io.svdwb.engine.model.Checkpoint;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how a {@link CompressionPipeline} writes the compressed checkpoint.
 *
 * @param overwrite        whether an existing folder may be replaced (only once the new export is complete)
 * @param evaluateReloaded whether to read the export back from disk and measure it again by the run's protocol
 */
public record ExportTarget(Path folder, ExportFormat format, boolean overwrite, boolean evaluateReloaded) {

    public ExportTarget {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(format, "format");
    }

    /** Why an export of {@code request}'s result could not be stored in {@code source}'s layout (the method says), or null. */
    public static String storageProblem(Checkpoint source, CompressionRequest request) {
        return request.method().method().exportProblem(source, request);
    }
}
