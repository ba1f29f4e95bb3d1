package io.svdwb.engine.export;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An extra file a method saves beside its export (e.g. SoCo's {@code soco_scores.safetensors}), written into the
 * export's temporary folder before it is moved into place, so it appears together with the weights or not at all.
 */
@FunctionalInterface
public interface ExportSidecar {
    void writeTo(Path file) throws IOException;
}
