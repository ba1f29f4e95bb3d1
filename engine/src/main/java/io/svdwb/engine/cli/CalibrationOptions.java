package io.svdwb.engine.cli;

import io.svdwb.engine.EmbeddedResources;
import io.svdwb.engine.calibration.Calibration;
import io.svdwb.engine.calibration.CalibrationCache;
import io.svdwb.engine.calibration.CalibrationSettings;
import io.svdwb.engine.linalg.LinearAlgebra;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where calibration statistics come from (docs/METHODS.md §3.1-3.2); shared by compress and sweep. */
final class CalibrationOptions {

    @Option(names = "--calib", paramLabel = "FILE",
            description = "Calibration text (WikiText-2 train in the papers). Default: the embedded first 1 MB of WikiText-2 train "
                    + "(pass resources/data/wikitext-2/wiki.train.tokens or your own copy for the full file).")
    Path text;

    @Option(names = "--calib-samples", paramLabel = "N", description = "Calibration windows N (default 256, as SVD-LLM).")
    int samples = CalibrationSettings.DEFAULT_SAMPLES;

    @Option(names = "--calib-length", paramLabel = "L", description = "Tokens per calibration window L (default min(2048, max_position_embeddings)).")
    Integer length;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the calibration sampler (default 3, as SVD-LLM).")
    long seed = CalibrationSettings.DEFAULT_SEED;

    @Option(names = "--calib-batch", paramLabel = "N",
            description = "Calibration windows per forward pass (default 8, fewer when the memory budget needs it); changes only "
                    + "the summation order of the statistics.")
    Integer windowsPerBatch;

    @Option(names = "--calib-cache", paramLabel = "DIR",
            description = "Where calibration statistics are cached (default ~/.cache/svdwb/calibration, or -Dsvdwb.cache).")
    Path cacheDir;

    Calibration calibration(LinearAlgebra backend) throws java.io.IOException {
        if (cacheDir != null) {
            io.svdwb.engine.files.OutputLocations.checkFolder(cacheDir, "--calib-cache");
        }
        return new Calibration(cacheDir != null ? new CalibrationCache(cacheDir) : CalibrationCache.atDefaultLocation(), backend);
    }

    Path textFile() {
        return text != null ? text : EmbeddedResources.require(EmbeddedResources.WIKITEXT2_TRAIN, "--calib FILE");
    }

    CalibrationSettings settings() {
        CalibrationSettings s = CalibrationSettings.defaults().withSamples(samples).withSeed(seed);
        if (windowsPerBatch != null) {
            s = s.withWindowsPerBatch(windowsPerBatch);
        }
        return length != null ? s.withWindowLength(length) : s;
    }

    /**
     * {@link #settings()} fitted to {@code memory}'s budget: the windows per pass lowered unless --calib-batch was given,
     * the residual streams on disk if they do not fit in memory.
     */
    io.svdwb.engine.pipeline.MemoryPolicy.CalibrationPlan plan(io.svdwb.engine.model.ModelConfig config,
            io.svdwb.engine.pipeline.MemoryPolicy memory) {
        return memory.calibrationPlan(config, settings(), windowsPerBatch != null);
    }

    /** The calibration on {@code backend} as {@code plan} says: with the residual streams on disk if it keeps them there. */
    Calibration calibration(io.svdwb.engine.pipeline.MemoryPolicy.CalibrationPlan plan, LinearAlgebra backend)
            throws java.io.IOException {
        Calibration calibration = calibration(backend);
        return plan.streamsOnDisk() ? calibration.withStreamsOnDisk() : calibration;
    }
}
