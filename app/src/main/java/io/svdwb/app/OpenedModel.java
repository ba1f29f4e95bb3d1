package io.svdwb.app;

import io.svdwb.engine.export.FactoredCheckpoint;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.workbench.ModelFootprint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * An opened checkpoint plus everything the views show about it, all taken from the engine once, on the
 * loading thread, so that the FX thread only reads immutable values.
 */
public record OpenedModel(Checkpoint checkpoint, ModelConfig config, List<MatrixSpec> matrices,
                          long totalParameters, long compressibleParameters, ModelFootprint footprint) implements AutoCloseable {

    public OpenedModel {
        matrices = List.copyOf(matrices);
    }

    /** Opens and validates a model folder; slow for big models (reads and checks every header), so not on the FX thread. */
    public static OpenedModel open(Path folder) throws IOException {
        // A factored export opens too (its ranks from config.json), so that a SoCo export can be looked at.
        Checkpoint checkpoint = FactoredCheckpoint.open(folder);
        try {
            return new OpenedModel(checkpoint, checkpoint.config(), checkpoint.matrices(),
                    checkpoint.totalParameters(), checkpoint.compressibleParameters(), ModelFootprint.of(checkpoint));
        } catch (RuntimeException e) {
            checkpoint.close();
            throw e;
        }
    }

    public Path folder() {
        return checkpoint.dir();
    }

    /** The folder's name, e.g. {@code stories260K}. */
    public String name() {
        Path name = folder().toAbsolutePath().normalize().getFileName();
        return name == null ? folder().toString() : name.toString();
    }

    @Override
    public void close() throws IOException {
        checkpoint.close();
    }
}
