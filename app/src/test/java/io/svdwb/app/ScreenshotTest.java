package io.svdwb.app;

import static io.svdwb.app.FxTestSupport.onFx;
import static io.svdwb.app.FxTestSupport.waitUntil;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/**
 * Writes the README's screenshots of the real window; runs only when asked, under Xvfb: see
 * scripts/screenshots.sh ({@code -Dsvdwb.screenshots=DIR}).
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
        save("main-view.png");
    }

    private void save(String name) throws Exception {
        Path dir = Path.of(System.getProperty("svdwb.screenshots"));
        Files.createDirectories(dir);
        WritableImage image = onFx(() -> workbench.stage().getScene().snapshot(null));
        ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", dir.resolve(name).toFile());
    }
}
