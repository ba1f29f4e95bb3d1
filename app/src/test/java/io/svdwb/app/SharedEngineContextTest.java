package io.svdwb.app;

import static io.svdwb.app.support.Fx.onFx;
import static io.svdwb.app.support.Fx.runFx;
import static io.svdwb.app.support.Fx.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.app.setup.EngineSetup;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.Compressor;
import io.svdwb.engine.compress.method.DecompositionCache;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.workbench.PerplexityEstimate;
import java.nio.file.Path;
import java.util.Optional;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/**
 * The main view's session and the compare/export tools use one engine context per model and calibration, so a
 * decomposition the main view computed is not computed again (nor held twice) for a tool's job.
 */
@ExtendWith(ApplicationExtension.class)
class SharedEngineContextTest {

    private static final Path DEMO = DemoModelLocator.find().orElseThrow();

    private Workbench workbench;

    @Start
    void start(Stage stage) {
        workbench = Workbench.show(stage, owner -> Optional.empty(), TestEngineSettings.settings());
    }

    @Stop
    void stop() {
        workbench.close();
    }

    @Test
    void aToolsJobUsesTheMainViewsContextAndItsDecompositions() throws Exception {
        runFx(() -> workbench.open(DEMO));
        // The main view's estimate of its default setting (SVD-LLM at 0.4) fills its context's decomposition cache.
        waitUntil(() -> {
            PerplexityEstimate estimate = workbench.model().results().getEstimate();
            return estimate != null && estimate.request().method() == MethodId.SVD_LLM && estimate.request().ratio() == 0.4
                    && !workbench.model().results().estimateJob().isRunning();
        });
        EngineSetup setup = onFx(() -> workbench.tools().engineSetup().get());
        CompressionSetting choice = onFx(() -> workbench.model().compression().getSetting());

        // What a sweep or an export asks for (off the FX thread, as their jobs do).
        CompressionContext tools = workbench.tools().contexts().context(setup);
        assertThat(workbench.contexts().openCount()).isEqualTo(1);
        DecompositionCache cache = tools.decompositions();
        long computed = cache.misses();
        // The tools have compressed nothing: what the cache computed, the main view computed, in this same context.
        assertThat(computed).isPositive();
        assertThat(tools.calibrationSettings()).isEqualTo(onFx(() -> workbench.model().runSettings().getCalibrationSettings()));

        long hits = cache.hits();
        new Compressor(tools).compress(choice.request(), ProgressListener.NONE);
        assertThat(cache.misses()).as("decompositions computed again for the tool's job").isEqualTo(computed);
        assertThat(cache.hits()).isGreaterThan(hits);
        assertThat(workbench.contexts().openCount()).isEqualTo(1);
    }
}
