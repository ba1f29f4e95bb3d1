package io.svdwb.engine.calibration;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.model.ModelConfigException;
import io.svdwb.engine.model.TextTokenizer;
import io.svdwb.engine.progress.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calibration from end to end: returns the cached statistics for (model, text, settings) if a complete and
 * intact copy exists, otherwise samples the windows, runs the model layer by layer (weights streamed) and
 * stores every layer in the cache before returning.
 */
public final class Calibration {

    private static final Logger LOG = LoggerFactory.getLogger(Calibration.class);

    private final CalibrationCache cache;
    private final LinearAlgebra linalg;
    private final boolean streamsOnDisk;

    public Calibration(CalibrationCache cache, LinearAlgebra linalg) {
        this(cache, linalg, false);
    }

    private Calibration(CalibrationCache cache, LinearAlgebra linalg, boolean streamsOnDisk) {
        this.cache = cache;
        this.linalg = linalg;
        this.streamsOnDisk = streamsOnDisk;
    }

    /**
     * This calibration with the windows' residual streams kept on disk beside the cache, one batch in memory at a
     * time ({@link SpilledStreams}), for calibrations whose streams do not fit the memory budget. Same results.
     */
    public Calibration withStreamsOnDisk() {
        return new Calibration(cache, linalg, true);
    }

    /** Whether the residual streams are kept on disk ({@link #withStreamsOnDisk()}). */
    public boolean streamsOnDisk() {
        return streamsOnDisk;
    }

    public CalibrationResult run(Path modelDir, Path textFile, CalibrationSettings settings, ProgressListener progress)
            throws IOException, ModelConfigException {
        return run(modelDir, textFile, settings, Integer.MAX_VALUE, progress);
    }

    /**
     * As {@link #run(Path, Path, CalibrationSettings, ProgressListener)}, but only the first {@code layersNeeded} decoder
     * layers must be calibrated (a compression of layer 0 needs no statistics of layer 31). Layers an earlier run
     * stored are used as they are, and a run stopped half-way resumes at the first layer it had not stored, from the
     * residual streams it kept ({@link ResidualCheckpoint}); the result is marked complete once every layer is stored.
     */
    public CalibrationResult run(Path modelDir, Path textFile, CalibrationSettings settings, int layersNeeded,
            ProgressListener progress) throws IOException, ModelConfigException {
        ModelConfig config = ModelConfig.read(modelDir);
        int layers = config.numLayers();
        int needed = Math.max(1, Math.min(layersNeeded, layers));
        int length = settings.windowLengthFor(config);
        try (TextTokenizer tokenizer = TextTokenizer.open(modelDir)) {
            CalibrationCacheKey key = CalibrationCacheKey.of(modelDir, textFile, settings.samples(), length, settings.seed(),
                    settings.windowsPerBatch(), tokenizer.addsBos(), tokenizer.bosId());
            if (cache.isComplete(key, layers, progress)) {
                LOG.info("Calibration statistics found in {}", cache.folder(key));
                return new CalibrationResult(cache, key, layers, true, null);
            }
            int stored = Files.isDirectory(cache.folder(key)) ? cache.intactLayers(key, layers, progress) : 0;
            if (stored >= needed) {
                LOG.info("Calibration statistics of layers 0-{} found in {}", stored - 1, cache.folder(key));
                return new CalibrationResult(cache, key, stored, true, null);
            }
            progress.throwIfCancelled();
            CalibrationWindows windows = new CalibrationSampler(tokenizer).sample(textFile, settings.samples(), length, settings.seed());
            cache.beginWriting(key);
            Path folder = cache.folder(key);
            try (Checkpoint checkpoint = Checkpoint.open(modelDir)) {
                LlamaModel model = new LlamaModel(checkpoint, linalg, LlamaModel.Residency.STREAM);
                int[] sizes = CalibrationStatistics.batchSizes(windows.count(), settings.windowsPerBatch());
                LayerStreams streams = streamsOnDisk
                        ? spilledStreams(model, windows, settings, sizes, length, stored, key, folder, progress)
                        : heldStreams(model, windows, settings, sizes, stored, key, folder, progress);
                LOG.info("Calibrating layers {}-{} of {} on {} windows of {} tokens from {} ({} tokens){}; residual streams {}; cache {}",
                        streams.from(), needed - 1, modelDir, windows.count(), length, textFile, windows.textTokens(),
                        streams.from() > 0 ? ", resumed from the stored residual streams" : "",
                        streamsOnDisk ? "on disk" : "in memory", folder);
                CalibrationStatistics.collect(model, sizes, length, streams.entering(), streams.from(), needed, progress, stats -> {
                            cache.store(key, stats);
                            stats.release(); // stored: the Grams (1.4 GB per LLaMA-7B layer) are freed now
                        }, streams.afterLayer());
            }
            if (needed == layers) {
                cache.markComplete(key);
                ResidualCheckpoint.delete(folder);
                SpilledStreams.delete(folder);
            }
            return new CalibrationResult(cache, key, needed, false, windows);
        }
    }

    /** Where a pass's residual streams come from and where they go after each layer. */
    private record LayerStreams(int from, java.util.function.Supplier<List<float[]>> entering,
            CalibrationStatistics.StreamsSink afterLayer) {
    }

    /** All streams in memory, stored after each layer ({@link ResidualCheckpoint}) so that a stopped run resumes. */
    private static LayerStreams heldStreams(LlamaModel model, CalibrationWindows windows, CalibrationSettings settings, int[] sizes,
            int stored, CalibrationCacheKey key, Path folder, ProgressListener progress) {
        int layers = model.config().numLayers();
        int width = model.config().hiddenSize();
        List<float[]> resumed = stored > 0 ? ResidualCheckpoint.read(folder, key, stored - 1, sizes.length) : null;
        return new LayerStreams(resumed != null ? stored : 0,
                resumed != null ? () -> resumed
                        : () -> CalibrationStatistics.embed(model, windows.windows(), settings.windowsPerBatch(), progress).hidden(),
                (layer, hidden) -> {
                    if (layer + 1 < layers) {
                        ResidualCheckpoint.write(folder, key, layer, hidden, width);
                    }
                });
    }

    /** The streams on disk, one batch in memory at a time; the two generations on disk are their own resume point. */
    private static LayerStreams spilledStreams(LlamaModel model, CalibrationWindows windows, CalibrationSettings settings,
            int[] sizes, int length, int stored, CalibrationCacheKey key, Path folder, ProgressListener progress) throws IOException {
        int width = model.config().hiddenSize();
        SpilledStreams resumed = stored > 0 ? SpilledStreams.resume(folder, key, stored - 1, sizes, length, width) : null;
        if (resumed != null) {
            return new LayerStreams(stored, () -> resumed, (layer, hidden) -> resumed.commit(layer));
        }
        requireDiskFor(folder, SpilledStreams.diskBytes(windows.count(), length, width), windows.count(), length);
        SpilledStreams fresh = SpilledStreams.create(folder, key, sizes, length, width);
        return new LayerStreams(0, () -> {
            CalibrationStatistics.embed(model, windows.windows(), settings.windowsPerBatch(), progress,
                    (stream, b) -> fresh.setInitial(b, stream));
            return fresh;
        }, (layer, hidden) -> fresh.commit(layer));
    }

    /** Refuses before anything runs when the cache's disk cannot hold the spilled streams, with the figure. */
    private static void requireDiskFor(Path folder, long bytes, int windows, int length) throws IOException {
        long usable = Files.getFileStore(folder).getUsableSpace();
        if (usable < bytes) {
            throw new IOException(String.format(java.util.Locale.ROOT,
                    "calibrating on %d windows of %d tokens keeps their residual streams on disk (they do not fit the memory "
                            + "budget) and needs %.2f GB free in %s; %.2f GB are free. Free some space, use a calibration cache on "
                            + "a larger disk (--calib-cache DIR), or calibrate on fewer windows",
                    windows, length, bytes / 1e9, folder, usable / 1e9));
        }
    }
}
