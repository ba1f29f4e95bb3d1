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
        return new CompressionContext(TestData.demoModel(), TestData.wikiTrainHead(), SMALL,
                new Calibration(new CalibrationCache(cacheDir), LinearAlgebra.cpu()), LinearAlgebra.cpu(),
                new DecompositionCache(64L << 20));
    }

    static CompressionRequest request(CompressionContext context, MethodId method, double ratio) {
        return new CompressionRequest(method, ratio, Selection.all(context.checkpoint().config()), MethodOptions.DEFAULTS);
    }
}
