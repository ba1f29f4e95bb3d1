package io.svdwb.engine.pipeline;

import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.MethodId;
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

    /**
     * Whether an export of {@code request}'s result could store it: SoCo's deviation term is a bias on every compressed
     * projection, which a model whose config has no bias on some selected projection cannot hold. Known before
     * compressing, so a run is refused before minutes of training rather than at the export.
     */
    public static boolean canStore(Checkpoint source, CompressionRequest request) {
        if (request.method() != MethodId.SOCO || !request.options().soco().deviation()) {
            return true;
        }
        return request.selection().filter(source.matrices()).stream().allMatch(m -> m.kind().hasBias(source.config()));
    }
}
