package io.svdwb.app.support;

import io.svdwb.app.DemoModelLocator;
import io.svdwb.app.setup.CalibrationSetup;
import io.svdwb.app.setup.EngineSetup;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.EmbeddedResources;
import io.svdwb.engine.calibration.CalibrationSettings;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.DecompositionCache;
import io.svdwb.engine.linalg.LinearAlgebra;
import java.nio.file.Path;

/**
 * The demo model with the tests' small settings: calibration 16 x 128 tokens, evaluation of the first 2,048 tokens
 * of WikiText-2 test at ctx 256. The calibration cache sits in this module's build folder, never in ~/.cache; it is
 * keyed by model, text and settings and verified on every hit, so test classes can share it.
 */
public final class DemoEngine {

    public static final Path MODEL = DemoModelLocator.find().orElseThrow();
    public static final Path CALIBRATION_CACHE = Path.of("target", "test-calibration-cache").toAbsolutePath();
    public static final CalibrationSettings CALIBRATION = CalibrationSettings.defaults().withSamples(16).withWindowLength(128);

    private DemoEngine() {
    }

    public static EngineSetup setup() {
        Path resources = EmbeddedResources.folder().orElseThrow();
        return new EngineSetup(MODEL,
                new CalibrationSetup(resources.resolve(EmbeddedResources.WIKITEXT2_TRAIN), CALIBRATION, CALIBRATION_CACHE),
                new EvaluationProtocol(resources.resolve(EmbeddedResources.WIKITEXT2_TEST), 256, 2048, 0, null));
    }

    /** A fresh engine context with exactly the setup's settings, for computing expected values directly. */
    public static CompressionContext openContext(EngineSetup setup) throws Exception {
        CalibrationSetup c = setup.calibration();
        return new CompressionContext(setup.modelDir(), c.text(), c.settings(), c.calibration(), LinearAlgebra.cpu(),
                DecompositionCache.withDefaultBound());
    }
}
