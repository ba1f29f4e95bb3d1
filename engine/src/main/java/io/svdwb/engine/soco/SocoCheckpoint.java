package io.svdwb.engine.soco;

import io.svdwb.engine.safetensors.DType;
import io.svdwb.engine.safetensors.DoubleBytes;
import io.svdwb.engine.safetensors.SafetensorsFile;
import io.svdwb.engine.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The state of an interrupted SoCo training run: the flat scores, AdamW's moments and the number of steps done,
 * plus a fingerprint of everything the run depends on (model, calibration, matrices, ratio, settings), so a run
 * resumes only from its own checkpoint. Written atomically (the writer's temporary sibling), in double.
 */
public record SocoCheckpoint(String fingerprint, int stepsDone, double[] scores, double[] firstMoment,
                             double[] secondMoment) {

    public SocoCheckpoint {
        if (firstMoment.length != scores.length || secondMoment.length != scores.length || stepsDone < 0) {
            throw new IllegalArgumentException("inconsistent SoCo checkpoint: " + scores.length + " scores, "
                    + firstMoment.length + "/" + secondMoment.length + " moments, " + stepsDone + " steps");
        }
    }

    public void write(Path file) throws IOException {
        long[] shape = {scores.length};
        SafetensorsWriter.to(file)
                .metadata("soco.fingerprint", fingerprint)
                .metadata("soco.steps_done", Integer.toString(stepsDone))
                .addRaw("scores", DType.F64, shape, () -> DoubleBytes.encode(scores))
                .addRaw("adam.first", DType.F64, shape, () -> DoubleBytes.encode(firstMoment))
                .addRaw("adam.second", DType.F64, shape, () -> DoubleBytes.encode(secondMoment))
                .write();
    }

    /** Reads {@code file} and checks it belongs to the run described by {@code expectedFingerprint}. */
    public static SocoCheckpoint read(Path file, String expectedFingerprint) throws IOException {
        try (SafetensorsFile in = SafetensorsFile.open(file)) {
            String fingerprint = in.metadata().get("soco.fingerprint");
            String steps = in.metadata().get("soco.steps_done");
            if (fingerprint == null || steps == null) {
                throw new IOException(file + ": not a SoCo training checkpoint (no soco.fingerprint / soco.steps_done metadata)");
            }
            if (!fingerprint.equals(expectedFingerprint)) {
                throw new IOException(file + ": this checkpoint belongs to a different SoCo run (other model, calibration, "
                        + "matrices, ratio or settings); remove it or give another --soco-checkpoint");
            }
            int stepsDone;
            try {
                stepsDone = Integer.parseInt(steps);
            } catch (NumberFormatException e) {
                throw new IOException(file + ": soco.steps_done is '" + steps + "', not a step count");
            }
            return new SocoCheckpoint(fingerprint, stepsDone, SocoScores.doubles(in, "scores"),
                    SocoScores.doubles(in, "adam.first"), SocoScores.doubles(in, "adam.second"));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
