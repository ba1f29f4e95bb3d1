package io.svdwb.app;

import static io.svdwb.app.FxTestSupport.onFx;
import static io.svdwb.app.FxTestSupport.runFx;
import static io.svdwb.app.FxTestSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.app.soco.LossCurvesChart;
import io.svdwb.app.soco.SocoExportFixture;
import io.svdwb.app.soco.SocoRankView;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.progress.TrainingStep;
import io.svdwb.engine.soco.SocoSchedule;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.stage.Stage;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/**
 * SoCo in the main view on the demo model with tiny settings (calibration 8 x 64 tokens, 3 + 3 + 3 steps on batches
 * of 2 x 64): a slider move starts nothing; Train runs in the task list and draws one loss point per step with the
 * engine's values; its estimate and ranks then appear; Cancel stops a run.
 */
@ExtendWith(ApplicationExtension.class)
class SocoTrainingTest {

    private Workbench workbench;
    private FxTestSupport fx;
    private final List<TrainingStep> reported = new CopyOnWriteArrayList<>();

    @Start
    void start(Stage stage) {
        fx = FxTestSupport.showDemo(stage, TestEngineSettings.settings(), model -> {
            model.runSettings().calibrationSamplesProperty().set(8);
            model.runSettings().calibrationLengthProperty().set(64);
            model.compression().socoSettingsProperty().set(SocoExportFixture.TINY);
            model.compression().methodProperty().set(MethodId.SOCO);
        });
        workbench = fx.workbench();
        workbench.socoTraining().observeSteps(reported::add);
    }

    @Stop
    void stop() {
        workbench.close();
    }

    @BeforeEach
    void waitForDemoModel() throws Exception {
        fx.awaitDemoModel();
    }

    @Test
    void aSliderMoveStartsNoTrainingAndTrainDrawsTheEnginesStepsThenTheEstimate(FxRobot robot) throws Exception {
        runFx(() -> fx.model().compression().setRatio(0.35));
        Thread.sleep(1500);
        assertThat(onFx(() -> workbench.tools().tasks().tasks().isEmpty())).isTrue();
        assertThat(onFx(() -> fx.model().results().estimateJob().isRunning())).isFalse();
        assertThat(onFx(() -> fx.model().soco().steps().isEmpty())).isTrue();

        robot.clickOn("#socoTrain");
        waitUntil(() -> fx.model().soco().trainingProperty().get() || fx.model().soco().getScores() != null);
        waitUntil(() -> !fx.model().soco().trainingProperty().get());
        assertThat(onFx(() -> fx.label("#socoTrainingStatus"))).startsWith("Trained soco");

        // one point per step, each the engine's own number
        assertThat(reported).hasSize(9);
        XYSeries kl = onFx(() -> ((XYSeriesCollection) FxTestSupport.plot(fx.node("#socoLossChart", ChartViewer.class)).getDataset(0))
                .getSeries(LossCurvesChart.KL));
        assertThat(onFx(kl::getItemCount)).isEqualTo(9);
        for (int i = 0; i < 9; i++) {
            int item = i;
            assertThat(onFx(() -> kl.getX(item).intValue())).isEqualTo(reported.get(i).step());
            assertThat(onFx(() -> kl.getY(item).doubleValue())).isEqualTo(reported.get(i).distillation());
        }

        // the estimate of the trained setting follows, with SoCo's ranks in the rank view
        waitUntil(() -> fx.model().currentEstimateProperty().getValue() != null);
        assertThat(onFx(() -> fx.model().currentEstimateProperty().getValue().request().method())).isEqualTo(MethodId.SOCO);
        DefaultCategoryDataset ranks = onFx(() -> (DefaultCategoryDataset) fx.node("#socoRankChart", ChartViewer.class).getChart()
                .getCategoryPlot().getDataset());
        int l0q = onFx(() -> fx.model().soco().getScores().modules().get("model.layers.0.self_attn.q_proj").rank());
        assertThat(onFx(() -> ranks.getValue(SocoRankView.SOCO, "L0.q").intValue())).isEqualTo(l0q);
        assertThat(onFx(() -> ranks.getValue(SocoRankView.UNIFORM, "L0.q").intValue())).isEqualTo(20); // floor(0.65 * 4096 / 128)
    }

    @Test
    void cancelStopsTheTrainingAndLeavesTheSettingUntrained(FxRobot robot) throws Exception {
        runFx(() -> fx.model().compression().socoSettingsProperty().set(SocoExportFixture.TINY.withSchedule(
                SocoSchedule.DEFAULT.withSteps(100, 100, 100))));
        robot.clickOn("#socoTrain");
        waitUntil(() -> fx.model().soco().steps().size() >= 1);
        assertThat(onFx(() -> workbench.tools().tasks().tasks().size())).isEqualTo(1);
        robot.clickOn("#socoCancel");
        waitUntil(() -> !fx.model().soco().trainingProperty().get());
        assertThat(onFx(() -> fx.label("#socoTrainingStatus"))).isEqualTo("Training cancelled");
        waitUntil(() -> workbench.tools().tasks().tasks().isEmpty());
        assertThat(onFx(() -> fx.model().soco().steps().size())).isLessThan(300);
        assertThat(onFx(() -> fx.model().soco().isTrained(fx.model().compression().getSetting()))).isFalse();
        assertThat(onFx(() -> fx.model().soco().getScores())).isNull();
    }
}
