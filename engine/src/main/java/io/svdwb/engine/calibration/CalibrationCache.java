package io.svdwb.engine.calibration;

import io.svdwb.engine.progress.ProgressListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk cache of calibration statistics: under the root, one folder per {@link CalibrationCacheKey},
 * holding one {@link LayerStatisticsFile} per decoder layer and a {@code key.txt} written last, atomically,
 * once every layer is stored. Without key.txt a folder is an unfinished run (cancelled, crashed) and is not
 * used. The root defaults to {@code ~/.cache/svdwb/calibration}, or the system property {@value #PROPERTY}.
 */
public final class CalibrationCache {

    public static final String PROPERTY = "svdwb.cache";
    static final String COMPLETE_MARKER = "key.txt";
    /** The progress phase of checking a cached result (every file is read and its checksum verified). */
    public static final String VERIFY_PHASE = "Verifying cached calibration statistics";

    private static final Logger LOG = LoggerFactory.getLogger(CalibrationCache.class);

    private final Path root;

    public CalibrationCache(Path root) {
        this.root = root.toAbsolutePath();
    }

    /** The cache at {@code -Dsvdwb.cache}, else {@code ~/.cache/svdwb/calibration}. */
    public static CalibrationCache atDefaultLocation() {
        String override = System.getProperty(PROPERTY);
        Path root = override != null && !override.isBlank() ? Path.of(override)
                : Path.of(System.getProperty("user.home"), ".cache", "svdwb", "calibration");
        return new CalibrationCache(root);
    }

    public Path root() {
        return root;
    }

    public Path folder(CalibrationCacheKey key) {
        return root.resolve(key.folderName());
    }

    /**
     * Whether a complete, intact result for {@code key} is stored: every layer file is read and verified, so a
     * damaged file is found here (and logged) rather than half-way through a compression run.
     */
    boolean isComplete(CalibrationCacheKey key, int layers, ProgressListener progress) {
        Path folder = folder(key);
        Path marker = folder.resolve(COMPLETE_MARKER);
        if (!Files.isRegularFile(marker)) {
            return false;
        }
        try {
            if (!Files.readString(marker, StandardCharsets.UTF_8).equals(key.description())) {
                LOG.warn("{}: calibration cache folder belongs to another key (hash prefix collision); recomputing", folder);
                return false;
            }
            progress.begin(VERIFY_PHASE, layers);
            for (int layer = 0; layer < layers; layer++) {
                progress.throwIfCancelled();
                LayerStatisticsFile.read(folder.resolve(LayerStatisticsFile.fileName(layer)), layer, key);
                progress.advanceTo(layer + 1);
            }
            progress.end();
            return true;
        } catch (IOException e) {
            LOG.warn("Calibration cache is damaged and will be recomputed: {}", e.getMessage());
            progress.end();
            return false;
        }
    }

    /**
     * How many leading layers (0, 1, ...) of {@code key}, up to {@code layers}, are stored intact: what an unfinished
     * run left behind, or a run that needed only the first layers. Every file counted is read and verified.
     */
    int intactLayers(CalibrationCacheKey key, int layers, ProgressListener progress) {
        Path folder = folder(key);
        int intact = 0;
        progress.begin(VERIFY_PHASE, layers);
        try {
            for (; intact < layers; intact++) {
                progress.throwIfCancelled();
                Path file = folder.resolve(LayerStatisticsFile.fileName(intact));
                if (!Files.isRegularFile(file)) {
                    break;
                }
                LayerStatisticsFile.read(file, intact, key);
                progress.advanceTo(intact + 1);
            }
        } catch (IOException e) {
            LOG.warn("Calibration cache file of layer {} is damaged and will be recomputed: {}", intact, e.getMessage());
        } finally {
            progress.end();
        }
        return intact;
    }

    /** Forgets any previous result for the key before a new run stores its layers. */
    void beginWriting(CalibrationCacheKey key) throws IOException {
        Path folder = folder(key);
        Files.createDirectories(folder);
        Files.deleteIfExists(folder.resolve(COMPLETE_MARKER));
    }

    void store(CalibrationCacheKey key, LayerStatistics stats) throws IOException {
        LayerStatisticsFile.write(folder(key).resolve(LayerStatisticsFile.fileName(stats.layer())), stats, key);
    }

    void markComplete(CalibrationCacheKey key) throws IOException {
        Path folder = folder(key);
        Path temp = folder.resolve(COMPLETE_MARKER + ".tmp");
        Files.writeString(temp, key.description(), StandardCharsets.UTF_8);
        Files.move(temp, folder.resolve(COMPLETE_MARKER), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    LayerStatistics load(CalibrationCacheKey key, int layer) throws IOException {
        return LayerStatisticsFile.read(folder(key).resolve(LayerStatisticsFile.fileName(layer)), layer, key);
    }
}
