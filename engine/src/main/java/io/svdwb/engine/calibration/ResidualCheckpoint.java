package io.svdwb.engine.calibration;

import io.svdwb.engine.safetensors.DType;
import io.svdwb.engine.safetensors.SafetensorsFile;
import io.svdwb.engine.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The calibration windows' residual streams after a layer, kept beside the layer statistics so that a calibration
 * stopped half-way (Ctrl-C, a crash, a killed job) resumes at the next layer instead of running the model again from
 * the embedding. One file per cache folder, replaced after every layer (8 windows of 2048 tokens of LLaMA-7B: 268 MB).
 * Written under a temporary name and moved into place, so a stop during the write leaves the previous one intact.
 */
final class ResidualCheckpoint {

    static final String FILE = "residual-streams.safetensors";
    private static final String KEY = "svdwb.calibration.key";
    private static final String AFTER_LAYER = "svdwb.calibration.after_layer";

    private ResidualCheckpoint() {
    }

    /** Stores the streams after {@code layer}; one tensor per batch, [rows, width]. */
    static void write(Path folder, CalibrationCacheKey key, int layer, List<float[]> hidden, int width) throws IOException {
        Path temp = folder.resolve(FILE + ".tmp");
        SafetensorsWriter writer = SafetensorsWriter.to(temp).metadata(KEY, key.description())
                .metadata(AFTER_LAYER, Integer.toString(layer));
        for (int b = 0; b < hidden.size(); b++) {
            float[] stream = hidden.get(b);
            writer.addFloats("batch." + b, DType.F32, new long[] {stream.length / width, width}, stream);
        }
        writer.write();
        Files.move(temp, folder.resolve(FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The streams after {@code layer} for {@code batches} batches, or null when the folder holds none for this key and
     * layer (or an unreadable one: then calibration simply starts over).
     */
    static List<float[]> read(Path folder, CalibrationCacheKey key, int layer, int batches) {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            Map<String, String> meta = f.metadata();
            if (!key.description().equals(meta.get(KEY)) || !Integer.toString(layer).equals(meta.get(AFTER_LAYER))
                    || f.names().size() != batches) {
                return null;
            }
            List<float[]> hidden = new ArrayList<>(batches);
            for (int b = 0; b < batches; b++) {
                hidden.add(f.readFloats("batch." + b));
            }
            return hidden;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static void delete(Path folder) throws IOException {
        Files.deleteIfExists(folder.resolve(FILE));
    }
}
