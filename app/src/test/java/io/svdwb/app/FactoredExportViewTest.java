package io.svdwb.app;

import static io.svdwb.app.FxTestSupport.onFx;
import static io.svdwb.app.FxTestSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.app.support.FactoredExportFixture;
import io.svdwb.app.support.OnScreen;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.export.FactoredCheckpoint;
import io.svdwb.engine.model.MatrixSpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.MenuBar;
import javafx.scene.control.Slider;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.jfree.chart.fx.ChartViewer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/**
 * File → Open model folder on a factored export (plain SVD at c = 0.4, written by the engine as {@code svdwb compress
 * --format factored} does): it opens for looking. The tree shows the stored ranks, the spectrum is that of the stored
 * A·B product with its cut at the stored rank, no estimate or evaluation starts, no error text appears, the compression
 * controls are off with the reason shown, and the menus stay where they are and answer clicks.
 */
@ExtendWith(ApplicationExtension.class)
class FactoredExportViewTest {

    private static final double RATIO = 0.4;

    @TempDir
    static Path temp;
    private static Path export;

    private Workbench workbench;
    private FxTestSupport fx;
    private final AtomicInteger estimatesStarted = new AtomicInteger();
    private final AtomicInteger batchRunsStarted = new AtomicInteger();

    @BeforeAll
    static void exportSvd() throws Exception {
        export = FactoredExportFixture.export(temp.resolve("stories260K-svd-factored"), MethodId.SVD, RATIO);
    }

    private final java.util.List<Throwable> fxErrors = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    @Start
    void start(Stage stage) {
        Thread.currentThread().setUncaughtExceptionHandler((thread, error) -> {
            fxErrors.add(error);
            error.printStackTrace();
        });
        workbench = Workbench.show(stage, owner -> Optional.empty(), TestEngineSettings.settings());
        ResultsModel results = workbench.model().results();
        results.estimateJob().runningProperty().addListener((o, was, now) -> estimatesStarted.addAndGet(now ? 1 : 0));
        results.batchJob().runningProperty().addListener((o, was, now) -> batchRunsStarted.addAndGet(now ? 1 : 0));
        workbench.open(export);
        fx = new FxTestSupport(workbench);
    }

    @Stop
    void stop() {
        workbench.close();
    }

    @BeforeEach
    void waitForTheExportAndItsSpectra() throws Exception {
        for (int second = 0; second < 120; second++) {
            if (onFx(() -> fx.model().getOpenedModel() != null && fx.model().results().getLayerSpectra() != null)) {
                org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError(onFx(() -> "status: " + fx.model().statusProperty().get() + "; load error: "
                + fx.model().lastErrorProperty().get() + "; spectra: " + fx.model().results().spectraJob().getError() + "; opened: "
                + fx.model().getOpenedModel() + "; FX errors: " + fxErrors));
    }

    @Test
    void theTreeAndTheSpectrumShowTheStoredRanks() throws Exception {
        Map<String, Integer> stored = FactoredCheckpoint.truncationRanks(export);
        assertThat(stored).hasSize(35);
        for (MatrixSpec m : onFx(() -> fx.model().getOpenedModel().matrices())) {
            String module = m.kind().moduleName(m.layer());
            assertThat(onFx(() -> fx.cellValue("rankColumn", fx.matrixRow(m.label())))).as(m.label())
                    .isEqualTo(String.valueOf(stored.get(module)));
        }
        MatrixSpec selected = onFx(() -> fx.model().getSelectedMatrix());
        int rank = stored.get(selected.kind().moduleName(selected.layer()));
        ChartViewer spectrum = onFx(() -> fx.node("#spectrumChart", ChartViewer.class));
        assertThat(onFx(() -> FxTestSupport.cutMarker(spectrum))).isEqualTo(rank);
        // The stored A·B product has exactly rank k: its spectrum has k nonzero singular values.
        double[] sigma = onFx(() -> FxTestSupport.plotted(spectrum, 0, 0));
        assertThat(sigma.length).isGreaterThanOrEqualTo(rank);
        assertThat(sigma[rank - 1]).isGreaterThan(1e-3 * sigma[0]);
        for (int i = rank; i < sigma.length; i++) {
            assertThat(sigma[i]).as("sigma_%d beyond the stored rank", i + 1).isLessThan(1e-4 * sigma[0]);
        }
        assertThat(onFx(() -> fx.label("#spectrumHeading"))).contains("cut k = " + rank).contains("stored rank");
        assertThat(onFx(() -> fx.label("#rankSource"))).contains("factored export");
    }

    @Test
    void nothingIsCompressedOrEstimatedAndNoErrorIsShown() throws Exception {
        // longer than the estimate's debounce, so that a request would have started by now
        Thread.sleep(1500);
        waitUntil(() -> true);
        assertThat(estimatesStarted.get()).isZero();
        assertThat(batchRunsStarted.get()).isZero();
        assertThat(onFx(() -> fx.model().results().estimateJob().getError())).isNull();
        assertThat(onFx(() -> fx.node("#estimateErrorArea", Node.class).isVisible())).isFalse();
        assertThat(onFx(() -> fx.node("#batchErrorArea", Node.class).isVisible())).isFalse();
        assertThat(onFx(() -> fx.label("#estimateSetting"))).contains("factored export");

        assertThat(onFx(() -> fx.node("#methodChooser", ComboBox.class).isDisabled())).isTrue();
        assertThat(onFx(() -> fx.node("#ratioSlider", Slider.class).isDisabled())).isTrue();
        assertThat(onFx(() -> fx.node("#fullEvaluationButton", Button.class).isDisabled())).isTrue();
        assertThat(onFx(() -> fx.node("#calibrateButton", Button.class).isDisabled())).isTrue();
        Label reason = onFx(() -> fx.node("#compressionDisabledReason", Label.class));
        assertThat(onFx(() -> OnScreen.shown(reason) && OnScreen.insideWindow(reason))).isTrue();
        assertThat(onFx(reason::getText)).contains("factored export");
        assertThat(onFx(() -> fx.label("#keptParameters"))).startsWith("Stores ");
    }

    @Test
    void theMenusStayInTheWindowAndAnswerAClick(FxRobot robot) throws Exception {
        MenuBar menus = onFx(() -> fx.node("#menuBar", MenuBar.class));
        assertThat(onFx(() -> OnScreen.insideWindow(menus) && OnScreen.inScene(menus).getMinY() < 1)).isTrue();
        assertThat(onFx(() -> OnScreen.insideWindow(fx.node("#controls", Node.class)))).isTrue();
        robot.clickOn("File");
        waitUntil(() -> menus.getMenus().get(0).isShowing());
        robot.type(KeyCode.ESCAPE);
        waitUntil(() -> !menus.getMenus().get(0).isShowing());
    }
}
