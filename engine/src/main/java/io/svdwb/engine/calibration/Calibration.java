package io.svdwb.engine.calibration;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.model.ModelConfigException;
import io.svdwb.engine.model.TextTokenizer;
import io.svdwb.engine.progress.ProgressListener;
import java.io.IOException;
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
        ModelConfig config = ModelConfig.read(modelDir);
        int length = settings.windowLengthFor(config);
        try (TextTokenizer tokenizer = TextTokenizer.open(modelDir)) {
            CalibrationCacheKey key = CalibrationCacheKey.of(modelDir, textFile, settings.samples(), length, settings.seed(),
                    settings.windowsPerBatch(), tokenizer.addsBos(), tokenizer.bosId());
            if (cache.isComplete(key, config.numLayers(), progress)) {
                LOG.info("Calibration statistics found in {}", cache.folder(key));
                return new CalibrationResult(cache, key, config.numLayers(), true, null);
            }
            progress.throwIfCancelled();
            CalibrationWindows windows = new CalibrationSampler(tokenizer).sample(textFile, settings.samples(), length, settings.seed());
            LOG.info("Calibrating {} on {} windows of {} tokens from {} ({} tokens); cache {}", modelDir, windows.count(),
                    length, textFile, windows.textTokens(), cache.folder(key));
            cache.beginWriting(key);
            try (Checkpoint checkpoint = Checkpoint.open(modelDir)) {
                LlamaModel model = new LlamaModel(checkpoint, linalg, LlamaModel.Residency.STREAM);
                CalibrationStatistics.collect(model, windows.windows(), settings.windowsPerBatch(), progress,
                        stats -> cache.store(key, stats));
            }
            cache.markComplete(key);
            return new CalibrationResult(cache, key, config.numLayers(), false, windows);
        }
    }
}
