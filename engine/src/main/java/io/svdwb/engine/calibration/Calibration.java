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

    public Calibration(CalibrationCache cache, LinearAlgebra linalg) {
        this.cache = cache;
        this.linalg = linalg;
    }

    /** With the cache at its default location ({@link CalibrationCache#atDefaultLocation()}) on the CPU. */
    public Calibration() {
        this(CalibrationCache.atDefaultLocation(), LinearAlgebra.cpu());
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
                java.util.List<float[]> resumed = stored > 0 ? ResidualCheckpoint.read(folder, key, stored - 1, sizes.length) : null;
                int from = resumed != null ? stored : 0;
                java.util.function.Supplier<java.util.List<float[]>> streams = resumed != null ? () -> resumed
                        : () -> CalibrationStatistics.embed(model, windows.windows(), settings.windowsPerBatch(), progress).hidden();
                LOG.info("Calibrating layers {}-{} of {} on {} windows of {} tokens from {} ({} tokens){}; cache {}", from, needed - 1,
                        modelDir, windows.count(), length, textFile, windows.textTokens(),
                        resumed != null ? ", resumed from the stored residual streams" : "", folder);
                CalibrationStatistics.collect(model, sizes, length, streams, from, needed, progress, stats -> {
                            cache.store(key, stats);
                            stats.release(); // stored: the Grams (1.4 GB per LLaMA-7B layer) are freed now
                        },
                        (layer, hidden) -> {
                            if (layer + 1 < layers) {
                                ResidualCheckpoint.write(folder, key, layer, hidden, config.hiddenSize());
                            }
                        });
            }
            if (needed == layers) {
                cache.markComplete(key);
                ResidualCheckpoint.delete(folder);
            }
            return new CalibrationResult(cache, key, needed, false, windows);
        }
    }
}
