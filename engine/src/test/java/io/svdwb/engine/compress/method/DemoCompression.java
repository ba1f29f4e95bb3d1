package io.svdwb.engine.compress.method;

import io.svdwb.engine.TestData;
import io.svdwb.engine.calibration.Calibration;
import io.svdwb.engine.calibration.CalibrationCache;
import io.svdwb.engine.calibration.CalibrationSettings;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.linalg.LinearAlgebra;
import java.nio.file.Path;

/** A compression context on the demo model with a small calibration set (16 x 128 tokens) cached in a test folder. */
final class DemoCompression {

    static final CalibrationSettings SMALL = CalibrationSettings.defaults().withSamples(16).withWindowLength(128);

    private DemoCompression() {
    }

    static CompressionContext open(Path cacheDir) throws Exception {
        return open(TestData.demoModel(), SMALL, cacheDir, null);
    }

    /** A context on {@code model} whose decompositions are also kept in {@code decompositionFolder} (null = memory only). */
    static CompressionContext open(Path model, CalibrationSettings settings, Path calibrationCache, Path decompositionFolder)
            throws Exception {
        return new CompressionContext(model, TestData.wikiTrainHead(), settings,
                new Calibration(new CalibrationCache(calibrationCache), LinearAlgebra.cpu()), LinearAlgebra.cpu(),
                new DecompositionCache(64L << 20, decompositionFolder));
    }

    static CompressionRequest request(CompressionContext context, MethodId method, double ratio) {
        return new CompressionRequest(method, ratio, Selection.all(context.checkpoint().config()));
    }
}
