package io.svdwb.app;

import static io.svdwb.app.FxTestSupport.onFx;
import static io.svdwb.app.FxTestSupport.waitUntil;

import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.soco.SocoSchedule;
import io.svdwb.engine.soco.SocoSettings;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/**
 * Writes docs/images/soco-view.png: SoCo trained from the main view on the demo model (a short schedule, 15 / 20 / 25
 * steps on batches of 2 x 64 tokens, so that the picture is made in about a minute), its scores over L2.gate's
 * spectrum, the loss curves and the rank view. Runs only when asked, under Xvfb: scripts/screenshots.sh.
 */
@ExtendWith(ApplicationExtension.class)
@EnabledIfSystemProperty(named = "svdwb.screenshots", matches = ".+")
class SocoScreenshotTest {

    private Workbench workbench;
    private FxTestSupport fx;

    @Start
    void start(Stage stage) {
        fx = FxTestSupport.showDemo(stage, TestEngineSettings.settings(), model -> {
            model.compression().socoSettingsProperty().set(SocoSettings.DEFAULTS.withSchedule(SocoSchedule.DEFAULT.withSteps(15, 20, 25))
                    .withBatch(2, 64).withPolish(0));
            model.compression().methodProperty().set(MethodId.SOCO);
        });
        workbench = fx.workbench();
    }

    @Stop
    void stop() {
        workbench.close();
    }

    @Test
    void socoView() throws Exception {
        waitUntil(() -> fx.model().getOpenedModel() != null);
        FxTestSupport.runFx(() -> fx.model().selectedMatrixProperty().set(fx.model().getOpenedModel().matrices().stream()
                .filter(m -> m.label().equals("L2.gate")).findFirst().orElseThrow()));
        FxTestSupport.runFx(() -> fx.model().soco().train());
        waitUntil(() -> {
            ResultsModel r = fx.model().results();
            return fx.model().soco().getScores() != null && fx.model().currentEstimateProperty().getValue() != null
                    && !r.estimateJob().isRunning() && r.getLayerSpectra() != null && r.getLayerSpectra().layer() == 2
                    && r.getLayerSpectra().whitened();
        });
        Thread.sleep(500);
        io.svdwb.app.support.Screenshots.saveAtBothSizes(workbench.stage(), "soco-view");
    }
}
