package io.svdwb.app;

import static io.svdwb.app.FxTestSupport.onFx;
import static io.svdwb.app.FxTestSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.app.soco.SocoExportFixture;
import io.svdwb.app.soco.SocoOverlay;
import io.svdwb.app.soco.SocoRankView;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.export.FactoredCheckpoint;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.soco.SocoScores;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.stage.Stage;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
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
 * Opening a SoCo export (factored, with its soco_scores.safetensors) made by the engine in the test: the spectrum
 * chart overlays the file's scores and marks the file's kept components, whose count is the export's rank in
 * config.json; the rank view shows those ranks beside the uniform k(c).
 */
@ExtendWith(ApplicationExtension.class)
class SocoExportViewTest {

    @TempDir
    static Path temp;
    private static Path export;

    private Workbench workbench;
    private FxTestSupport fx;

    @BeforeAll
    static void exportSoco() throws Exception {
        export = SocoExportFixture.export(temp.resolve("stories260K-soco"));
    }

    @Start
    void start(Stage stage) {
        workbench = Workbench.show(stage, owner -> Optional.empty(), TestEngineSettings.settings());
        workbench.open(export);
        fx = new FxTestSupport(workbench);
    }

    @Stop
    void stop() {
        workbench.close();
    }

    @BeforeEach
    void waitForTheExportAndItsScores() throws Exception {
        waitUntil(() -> fx.model().getOpenedModel() != null && fx.model().soco().getScores() != null);
    }

    @Test
    void theSpectrumOverlaysTheFilesScoresAndMarksItsKeptComponentsWhoseCountIsTheExportedRank(FxRobot robot) throws Exception {
        SocoScores file = SocoScores.read(export.resolve(SocoScores.FILE_NAME));
        Map<String, Integer> exportedRanks = FactoredCheckpoint.truncationRanks(export);

        TreeItem<Object> up = onFx(() -> {
            TreeItem<Object> row = fx.matrixRow("L3.up");
            row.getParent().setExpanded(true);
            fx.tree().scrollTo(fx.tree().getRow(row));
            return row;
        });
        waitUntil(() -> fx.renderedCell("labelColumn", up) != null);
        robot.clickOn(onFx(() -> fx.tree().lookupAll(".tree-table-cell").stream()
                .filter(n -> "L3.up".equals(((TreeTableCell<?, ?>) n).getText())).findFirst().orElseThrow()));
        MatrixSpec selected = onFx(() -> fx.model().getSelectedMatrix());
        assertThat(selected.label()).isEqualTo("L3.up");

        String module = "model.layers.3.mlp.up_proj";
        SocoScores.ModuleScores expected = file.modules().get(module);
        XYSeriesCollection overlay = onFx(() -> (XYSeriesCollection) FxTestSupport.plot(fx.node("#spectrumChart", ChartViewer.class))
                .getDataset(SocoOverlay.INDEX));
        TreeMap<Integer, Double> plotted = new TreeMap<>();
        TreeSet<Integer> markedKept = new TreeSet<>();
        onFx(() -> {
            for (int s = 0; s < overlay.getSeriesCount(); s++) {
                XYSeries series = overlay.getSeries(s);
                for (int i = 0; i < series.getItemCount(); i++) {
                    int component = series.getX(i).intValue() - 1;
                    plotted.put(component, series.getY(i).doubleValue());
                    if (s == 0) {
                        markedKept.add(component);
                    }
                }
            }
            return null;
        });
        // theta of every scored component, exactly as stored
        assertThat(plotted.keySet()).hasSize(expected.scores().length);
        for (int i = 0; i < expected.scores().length; i++) {
            assertThat(plotted.get(i)).as("theta_%d", i).isEqualTo(expected.scores()[i]);
        }
        // kept by score, not by position: exactly the file's kept set, as many as the exported rank
        assertThat(markedKept).containsExactly(java.util.Arrays.stream(expected.kept()).boxed().toArray(Integer[]::new));
        assertThat(markedKept).hasSize(exportedRanks.get(module));
        assertThat(onFx(() -> fx.label("#socoOverlaySummary"))).contains("keeps " + exportedRanks.get(module) + " of its "
                + expected.scores().length);
    }

    @Test
    void theRankViewShowsTheExportedRanksBesideTheUniformRanks() throws Exception {
        Map<String, Integer> exportedRanks = FactoredCheckpoint.truncationRanks(export);
        DefaultCategoryDataset ranks = onFx(() -> (DefaultCategoryDataset) fx.node("#socoRankChart", ChartViewer.class).getChart()
                .getCategoryPlot().getDataset());
        java.util.List<MatrixSpec> matrices = onFx(() -> fx.model().getOpenedModel().matrices());
        assertThat(onFx(ranks::getColumnCount)).isEqualTo(35);
        for (MatrixSpec m : matrices) {
            int soco = onFx(() -> ranks.getValue(SocoRankView.SOCO, m.label()).intValue());
            int uniform = onFx(() -> ranks.getValue(SocoRankView.UNIFORM, m.label()).intValue());
            assertThat(soco).as(m.label()).isEqualTo(exportedRanks.get(m.kind().moduleName(m.layer())));
            assertThat(uniform).as(m.label()).isEqualTo(RankFromRatio.rank(m.rows(), m.cols(), SocoExportFixture.RATIO));
        }
        // by hand at c = 0.4: floor(0.6 m n / (m + n))
        assertThat(onFx(() -> ranks.getValue(SocoRankView.UNIFORM, "L0.q").intValue())).isEqualTo(19);
        assertThat(onFx(() -> ranks.getValue(SocoRankView.UNIFORM, "L0.k").intValue())).isEqualTo(12);
        assertThat(onFx(() -> ranks.getValue(SocoRankView.UNIFORM, "L0.gate").intValue())).isEqualTo(27);
        int total = exportedRanks.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(onFx(() -> fx.label("#socoRankCaption"))).contains("sum " + total + " vs ");
    }
}
