package io.svdwb.app.soco;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.app.WorkbenchModel;
import io.svdwb.engine.progress.TrainingStep;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.Marker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Training and polish are phases of one run: one increasing step axis, each phase's start marked. */
@ExtendWith(ApplicationExtension.class)
class LossCurvesChartTest {

    private final WorkbenchModel model = new WorkbenchModel();
    private ChartViewer viewer;

    @Start
    void start(Stage stage) {
        viewer = (ChartViewer) new LossCurvesChart(model).node();
        stage.setScene(new Scene(viewer, 600, 400));
        stage.show();
    }

    @Test
    void polishStepsContinueAfterTheTrainingStepsAndEachPhaseIsMarked() throws Exception {
        List<TrainingStep> run = new ArrayList<>();
        String[] phases = {"exploration", "refinement", "sparsification"};
        for (int step = 1; step <= 9; step++) {
            run.add(new TrainingStep(phases[(step - 1) / 3], step, 9, 1.0 / step, 0.1, 0, 1, 0.5, 0.5));
        }
        // The engine counts the polish steps of the same run from 1 again.
        for (int step = 1; step <= 4; step++) {
            run.add(new TrainingStep("polish", step, 4, 0.05, 0, 0, 0.05, 0.4, 0.4));
        }
        // in two batches, as the FX queue delivers them
        WaitForAsyncUtils.asyncFx(() -> model.soco().steps().addAll(run.subList(0, 7))).get();
        WaitForAsyncUtils.asyncFx(() -> model.soco().steps().addAll(run.subList(7, run.size()))).get();

        XYPlot plot = WaitForAsyncUtils.asyncFx(() -> viewer.getChart().getXYPlot()).get();
        for (int dataset = 0; dataset < 2; dataset++) {
            XYSeriesCollection series = (XYSeriesCollection) plot.getDataset(dataset);
            for (int s = 0; s < series.getSeriesCount(); s++) {
                XYSeries xy = series.getSeries(s);
                assertThat(xy.getItemCount()).isEqualTo(13);
                for (int i = 1; i < xy.getItemCount(); i++) {
                    assertThat(xy.getX(i).doubleValue()).as("%s item %d", xy.getKey(), i).isGreaterThan(xy.getX(i - 1).doubleValue());
                }
                assertThat(xy.getX(12).doubleValue()).isEqualTo(13);
            }
        }
        List<String> marked = new ArrayList<>();
        for (Object marker : plot.getDomainMarkers(Layer.BACKGROUND)) {
            marked.add(((Marker) marker).getLabel());
        }
        assertThat(marked).containsExactly("exploration", "refinement", "sparsification", "polish");

        // a new run starts over from step 1 with a fresh axis
        WaitForAsyncUtils.asyncFx(() -> model.soco().steps().setAll(run.subList(0, 2))).get();
        XYSeries kl = ((XYSeriesCollection) plot.getDataset(0)).getSeries(LossCurvesChart.KL);
        assertThat(kl.getItemCount()).isEqualTo(2);
        assertThat(kl.getX(0).doubleValue()).isEqualTo(1);
        assertThat(plot.getDomainMarkers(Layer.BACKGROUND)).hasSize(1);
    }
}
