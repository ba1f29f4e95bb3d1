package io.svdwb.app;

import static io.svdwb.app.support.Fx.onFx;
import static io.svdwb.app.support.Fx.runFx;
import static io.svdwb.app.support.Fx.waitUntil;

import io.svdwb.app.support.DemoEngine;
import java.util.Optional;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/**
 * Writes docs/images/compare-view.png and compare-view-1024x700.png: the real compare window after a small sweep on the demo model; runs only
 * when asked, under Xvfb: see scripts/screenshots.sh ({@code -Dsvdwb.screenshots=DIR}).
 */
@ExtendWith(ApplicationExtension.class)
@EnabledIfSystemProperty(named = "svdwb.screenshots", matches = ".+")
class CompareScreenshotTest {

    private Workbench workbench;

    @Start
    void start(Stage stage) {
        workbench = Workbench.show(stage, owner -> Optional.empty());
        workbench.open(DemoEngine.MODEL);
    }

    @Stop
    void stop() {
        workbench.close();
    }

    @Test
    void compareView(FxRobot robot) throws Exception {
        waitUntil(() -> workbench.tools().engineSetup().get() != null);
        // The tests' small calibration; 8,192 evaluation tokens, so the curves are not dominated by noise.
        runFx(() -> {
            workbench.model().runSettings().setCalibrationSettings(DemoEngine.setup().calibration().settings());
            workbench.model().runSettings().evaluationContextProperty().set(256);
            workbench.model().runSettings().estimateTokensProperty().set(8192);
            workbench.tools().openCompare();
        });
        robot.doubleClickOn("#ratiosField").eraseText(20).write("0.2,0.4,0.6");
        robot.clickOn("#runSweep");
        waitUntil(() -> !workbench.tools().compare().runningProperty().get() && workbench.tools().compare().rows().size() == 7);
        runFx(() -> {
            @SuppressWarnings("unchecked")
            TableView<?> table = (TableView<?>) compareScene().lookup("#sweepTable");
            table.getSelectionModel().select(5);
        });
        Thread.sleep(500);
        io.svdwb.app.support.Screenshots.saveAtBothSizes(compareScene().getWindow(), "compare-view");
    }

    private Scene compareScene() {
        return Window.getWindows().stream().filter(w -> w.getScene() != null && w.getScene().lookup("#compareView") != null)
                .findFirst().orElseThrow().getScene();
    }
}
