package io.svdwb.app;

import io.svdwb.engine.export.FactoredCheckpoint;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.workbench.ModelFootprint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

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

    /**
     * True for a factored export (config.json names {@code truncation_ranks}): it is opened for looking at its ranks and
     * spectra; compressing it again is not offered (its modules are already A·B factors).
     */
    public boolean isFactoredExport() {
        return !checkpoint.factoredRanks().isEmpty();
    }

    /** The rank a factored export stores for {@code matrix}; empty where it stores the matrix dense (or for a dense model). */
    public OptionalInt exportedRank(MatrixSpec matrix) {
        Integer rank = checkpoint.factoredRanks().get(matrix.kind().moduleName(matrix.layer()));
        return rank == null ? OptionalInt.empty() : OptionalInt.of(rank);
    }

    /** Input columns a column-preserving (Duo-SVD) module of a factored export keeps as they are; 0 elsewhere. */
    public int exportedKeptColumns(MatrixSpec matrix) {
        List<Integer> kept = checkpoint.keptColumns().get(matrix.kind().moduleName(matrix.layer()));
        return kept == null ? 0 : kept.size();
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
