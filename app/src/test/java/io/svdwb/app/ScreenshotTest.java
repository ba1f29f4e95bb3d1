package io.svdwb.app;

import static io.svdwb.app.FxTestSupport.onFx;
import static io.svdwb.app.FxTestSupport.waitUntil;

import io.svdwb.app.support.Screenshots;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/**
 * Writes the README's screenshots of the real window, main view and export dialog, each at the default size and at
 * 1024 x 700; runs only when asked, under Xvfb: see scripts/screenshots.sh ({@code -Dsvdwb.screenshots=DIR}).
 */
@ExtendWith(ApplicationExtension.class)
@EnabledIfSystemProperty(named = "svdwb.screenshots", matches = ".+")
class ScreenshotTest {

    private Workbench workbench;
    private FxTestSupport fx;

    @Start
    void start(Stage stage) {
        fx = FxTestSupport.showDemo(stage, TestEngineSettings.settings(), model -> { });
        workbench = fx.workbench();
    }

    @Stop
    void stop() {
        workbench.close();
    }

    @Test
    void mainView() throws Exception {
        waitUntil(() -> fx.model().getOpenedModel() != null);
        FxTestSupport.runFx(() -> fx.model().selectedMatrixProperty().set(fx.model().getOpenedModel().matrices().stream()
                .filter(m -> m.label().equals("L2.gate")).findFirst().orElseThrow()));
        // SVD-LLM at c = 0.4 (the defaults): wait for the calibration, the whitened spectra and the estimate.
        waitUntil(() -> {
            ResultsModel r = fx.model().results();
            return r.getEstimate() != null && !r.estimateJob().isRunning() && r.getLayerSpectra() != null
                    && r.getLayerSpectra().layer() == 2 && r.getLayerSpectra().whitened();
        });
        Screenshots.saveAtBothSizes(workbench.stage(), "main-view");
    }

    /** Zero-Sum SVD at c = 0.4 with the "Ranks: chosen vs uniform" tab in front: where its global prune spends the budget. */
    @Test
    void chosenRanks() throws Exception {
        waitUntil(() -> fx.model().getOpenedModel() != null);
        io.svdwb.engine.compress.method.MethodId zeroSum = io.svdwb.engine.compress.method.MethodId.parse("zero-sum-svd");
        FxTestSupport.runFx(() -> {
            fx.model().compression().methodProperty().set(zeroSum);
            fx.node("#lowerTabs", javafx.scene.control.TabPane.class).getSelectionModel().select(1);
        });
        waitUntil(() -> {
            ResultsModel r = fx.model().results();
            return r.getEstimate() != null && !r.estimateJob().isRunning() && r.getEstimate().request().method() == zeroSum;
        });
        Thread.sleep(500);
        Screenshots.saveAtBothSizes(workbench.stage(), "chosen-ranks");
    }

    @Test
    void runSettings() throws Exception {
        waitUntil(() -> fx.model().getOpenedModel() != null && fx.model().currentEstimateProperty().getValue() != null);
        FxTestSupport.runFx(() -> fx.node("#settingsPane", javafx.scene.control.TitledPane.class).setExpanded(true));
        Thread.sleep(500);
        Screenshots.saveAtBothSizes(workbench.stage(), "run-settings");
    }

    @Test
    void exportView() throws Exception {
        waitUntil(() -> fx.model().getOpenedModel() != null && fx.model().currentEstimateProperty().getValue() != null);
        FxTestSupport.runFx(() -> workbench.tools().openExport());
        waitUntil(() -> exportWindow() != null);
        Thread.sleep(500);
        Screenshots.save(onFx(() -> exportWindow().getScene()), "export-view");
        // The dialog over the main window at 1024 x 700.
        Screenshots.resize(workbench.stage(), Screenshots.SMALL_WIDTH, Screenshots.SMALL_HEIGHT);
        Window dialog = onFx(this::exportWindow);
        if (onFx(() -> dialog.getWidth() > Screenshots.SMALL_WIDTH || dialog.getHeight() > Screenshots.SMALL_HEIGHT)) {
            Screenshots.resize(dialog, Math.min(Screenshots.SMALL_WIDTH, onFx(dialog::getWidth)),
                    Math.min(Screenshots.SMALL_HEIGHT, onFx(dialog::getHeight)));
        }
        Screenshots.save(onFx(dialog::getScene), "export-view" + Screenshots.SMALL_SUFFIX);
        FxTestSupport.runFx(dialog::hide);
    }

    private Window exportWindow() {
        return Window.getWindows().stream().filter(w -> w.getScene() != null && w.getScene().lookup("#exportView") != null)
                .findFirst().orElse(null);
    }
}
