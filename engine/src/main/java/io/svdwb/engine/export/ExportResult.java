package io.svdwb.engine.export;

import java.nio.file.Path;

/**
 * A finished, verified export.
 *
 * @param parameters all parameters of the exported checkpoint, counted as {@code Checkpoint.totalParameters}
 * @param weightBytes size of the written model.safetensors
 */
public record ExportResult(Path folder, ExportFormat format, int tensors, long parameters, long weightBytes) {
}
