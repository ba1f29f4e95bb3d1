package io.svdwb.app.compare;

import static io.svdwb.app.support.Fx.onFx;
import static io.svdwb.app.support.Fx.runFx;
import static io.svdwb.app.support.Fx.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.app.FileDialogs;
import io.svdwb.app.setup.EngineContexts;
import io.svdwb.app.setup.EngineSetup;
import io.svdwb.app.support.DemoEngine;
import io.svdwb.app.tasks.BackgroundTasks;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.compress.method.ModuleOutcome;
import io.svdwb.engine.pipeline.CompressionPipeline;
import io.svdwb.engine.pipeline.MemoryPolicy;
import io.svdwb.engine.pipeline.Sweep;
import io.svdwb.engine.pipeline.SweepRow;
import io.svdwb.engine.progress.ProgressListener;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import javafx.stage.Window;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;
import org.w3c.dom.Document;

/**
 * The compare view on the demo model: a sweep of svd and svd-llm at 0.2 and 0.4 started from the view, checked
 * against the same sweep run directly with the engine (same code path, so equal to rounding).
 */
@ExtendWith(ApplicationExtension.class)
class CompareViewTest {

    private static final EngineSetup SETUP = DemoEngine.setup();
    private static final List<MethodId> METHODS = List.of(MethodId.SVD, MethodId.SVD_LLM);
    private static final List<Double> RATIOS = List.of(0.2, 0.4);

    /** The sweep as the engine computes it, without the workbench. */
    private static List<SweepRow> expected;

    private final AtomicReference<Path> nextSaveFile = new AtomicReference<>();
    private CompareModel model;
    private BackgroundTasks tasks;
    private EngineContexts contexts;
    private CompareView view;

    @BeforeAll
    static void sweepDirectly() throws Exception {
        try (CompressionContext context = DemoEngine.openContext(SETUP)) {
            expected = new Sweep(new CompressionPipeline(context)).run(METHODS, RATIOS, Selection.all(context.checkpoint().config()),
                    MethodId::defaults, SETUP.evaluation(), MemoryPolicy.defaults(), ProgressListener.NONE, row -> { });
        }
    }

    @Start
    void start(Stage stage) {
        model = new CompareModel();
        model.setupProperty().set(SETUP);
        tasks = new BackgroundTasks();
        contexts = new EngineContexts();
        SweepRunner runner = new SweepRunner(model, tasks, contexts, error -> { });
        view = new CompareView(model, runner, new FileDialogs() {
            @Override
            public Optional<Path> save(Window owner, String title, String extension, String suggestedName) {
                return Optional.ofNullable(nextSaveFile.getAndSet(null));
            }

            @Override
            public Optional<Path> open(Window owner, String title, String extension) {
                return Optional.empty();
            }

            @Override
            public Optional<Path> folder(Window owner, String title) {
                return Optional.empty();
            }
        });
        stage.setScene(new Scene(view.node(), 1200, 800));
        stage.show();
    }

    @Stop
    void stop() {
        tasks.close();
        contexts.close();
    }

    @Test
    void aSweepFromTheViewShowsTheEnginesNumbersInTableChartAndHeatMap(FxRobot robot, @TempDir Path exports) throws Exception {
        assertThat(onFx(() -> List.copyOf(model.methods()))).containsExactly(MethodId.SVD, MethodId.SVD_LLM);
        robot.doubleClickOn("#ratiosField").eraseText(20).write("0.2, 0.4");
        waitUntil(() -> model.ratios().equals(RATIOS));
        robot.clickOn("#runSweep");
        waitUntil(() -> !model.runningProperty().get() && model.rows().size() == 5);
        assertThat(onFx(() -> model.statusProperty().get())).isEqualTo("Sweep finished: 5 rows");
        assertThat(onFx(() -> model.protocolProperty().get()))
                .isEqualTo("wiki.test.raw, first 2,048 tokens, ctx 256");

        List<ComparisonRow> rows = onFx(() -> List.copyOf(model.rows()));
        assertThat(rows).hasSameSizeAs(expected);
        for (int i = 0; i < rows.size(); i++) {
            ComparisonRow shown = rows.get(i);
            SweepRow engine = expected.get(i);
            assertThat(shown.method()).isEqualTo(engine.baseline() ? null : engine.method().cliName());
            assertThat(shown.targetRatio()).isEqualTo(engine.ratio());
            assertThat(shown.achievedRatio()).isEqualTo(engine.achievedRatio());
            assertThat(shown.keptParameters()).isEqualTo(engine.keptParameters());
            double ppl = engine.perplexity().perplexity();
            assertThat(shown.perplexity()).as("row %d", i).isCloseTo(ppl, within(1e-9 * ppl));
        }
        // What the table's cells say: svd-llm at 0.4 keeps 5 x 26,284 parameters (CompressorTest's hand count).
        TableView<ComparisonRow> table = view.table().node();
        ComparisonRow svdLlm40 = rows.get(4);
        assertThat(onFx(() -> SweepTable.text(table, "methodColumn", svdLlm40))).isEqualTo("svd-llm");
        assertThat(onFx(() -> SweepTable.text(table, "targetColumn", svdLlm40))).isEqualTo("0.40");
        assertThat(onFx(() -> SweepTable.text(table, "keptColumn", svdLlm40))).isEqualTo("131,420");
        assertThat(onFx(() -> SweepTable.text(table, "achievedColumn", svdLlm40))).isEqualTo(String.format(java.util.Locale.ROOT, "%.4f",
                1 - 131_420.0 / 226_560));
        assertThat(onFx(() -> SweepTable.text(table, "perplexityColumn", rows.get(0)))).isEqualTo(String.format(java.util.Locale.ROOT,
                "%.4f", expected.get(0).perplexity().perplexity()));

        // The chart: one series per method, its points the rows' (kept parameters, perplexity); the baseline marker.
        XYDataset series = onFx(() -> view.perplexityChart().chart().getXYPlot().getDataset());
        assertThat(series.getSeriesCount()).isEqualTo(2);
        for (int s = 0; s < 2; s++) {
            String method = METHODS.get(s).cliName();
            assertThat(String.valueOf(series.getSeriesKey(s))).isEqualTo(method);
            // XYSeries keeps its points sorted by x (kept parameters).
            List<SweepRow> wanted = expected.stream().filter(r -> !r.baseline() && r.method().cliName().equals(method))
                    .sorted(java.util.Comparator.comparingLong(SweepRow::keptParameters)).toList();
            assertThat(series.getItemCount(s)).isEqualTo(wanted.size());
            for (int item = 0; item < wanted.size(); item++) {
                double ppl = wanted.get(item).perplexity().perplexity();
                assertThat(series.getXValue(s, item)).isEqualTo(wanted.get(item).keptParameters());
                assertThat(series.getYValue(s, item)).isCloseTo(ppl, within(1e-9 * ppl));
            }
        }
        double dense = expected.get(0).perplexity().perplexity();
        assertThat(onFx(() -> view.perplexityChart().baselineMarker().getValue())).isCloseTo(dense, within(1e-9 * dense));

        // The heat map follows the table's selection; its cells are the engine's per-module losses.
        assertThat(onFx(() -> model.heatMapRowProperty().get())).isEqualTo(rows.get(1));
        runFx(() -> table.getSelectionModel().select(4));
        waitUntil(() -> model.heatMapRowProperty().get() == svdLlm40);
        List<ModuleOutcome> outcomes = expected.get(4).compression().modules();
        java.util.Map<String, Double> cells = onFx(() -> view.heatMap().cells());
        assertThat(cells).hasSize(35);
        for (ModuleOutcome outcome : outcomes) {
            assertThat(cells.get(outcome.matrix().label())).as(outcome.matrix().label())
                    .isCloseTo(outcome.loss(), within(1e-9 * outcome.loss()));
        }
        assertThat(onFx(() -> view.heatMap().scaleMaximum()))
                .isEqualTo(outcomes.stream().mapToDouble(ModuleOutcome::loss).max().orElseThrow());
        assertThat(onFx(() -> view.heatMap().chart().getTitle().getText())).isEqualTo("Per-matrix truncation loss: svd-llm at 0.40");

        // Both charts export to PNG and SVG.
        Path png = exports.resolve("perplexity.png");
        nextSaveFile.set(png);
        robot.clickOn("#perplexityChartExport").clickOn("Export PNG…");
        waitUntil(() -> png.toFile().isFile());
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(ChartExport.WIDTH);
        assertThat(image.getHeight()).isEqualTo(ChartExport.HEIGHT);
        assertThat(onFx(() -> model.statusProperty().get())).isEqualTo("Wrote " + png);

        Path svg = exports.resolve("layer-losses.svg");
        nextSaveFile.set(svg);
        robot.clickOn("#heatMapExport").clickOn("Export SVG…");
        waitUntil(() -> svg.toFile().isFile());
        DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
        // The file names the SVG 1.1 DTD; parse offline without fetching it.
        xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document document = xml.newDocumentBuilder().parse(svg.toFile());
        assertThat(document.getDocumentElement().getNodeName()).isEqualTo("svg");
        assertThat(Double.parseDouble(document.getDocumentElement().getAttribute("width"))).isEqualTo(ChartExport.WIDTH);
        assertThat(Double.parseDouble(document.getDocumentElement().getAttribute("height"))).isEqualTo(ChartExport.HEIGHT);
    }

    @Test
    void badRatiosSayWhatIsWrongAndDisableTheRun(FxRobot robot) throws Exception {
        robot.doubleClickOn("#ratiosField").eraseText(20).write("0.2,1.5");
        waitUntil(() -> !robot.lookup("#ratiosProblem").queryAs(Label.class).getText().isEmpty());
        assertThat(onFx(() -> robot.lookup("#ratiosProblem").queryAs(Label.class).getText()))
                .isEqualTo("\"1.5\" is out of range: a ratio is the fraction of parameters removed, strictly between 0 and 1 (0.2 removes 20 %)");
        assertThat(onFx(() -> robot.lookup("#runSweep").queryAs(Button.class).isDisabled())).isTrue();

        robot.eraseText(20).write("0.2,,0.4");
        waitUntil(() -> robot.lookup("#ratiosProblem").queryAs(Label.class).getText().startsWith("Empty entry"));
        robot.eraseText(20).write("0.2,abc");
        waitUntil(() -> robot.lookup("#ratiosProblem").queryAs(Label.class).getText()
                .equals("\"abc\" is not a number: write ratios as decimals, e.g. 0.2,0.4,0.6"));

        robot.eraseText(20).write("0.3");
        waitUntil(() -> robot.lookup("#ratiosProblem").queryAs(Label.class).getText().isEmpty());
        assertThat(onFx(() -> robot.lookup("#runSweep").queryAs(Button.class).isDisabled())).isFalse();
        // Without a method there is nothing to run.
        robot.clickOn("#method-svd").clickOn("#method-svd-llm");
        waitUntil(() -> model.methods().isEmpty());
        assertThat(onFx(() -> robot.lookup("#runSweep").queryAs(Button.class).isDisabled())).isTrue();
        assertThat(onFx(() -> model.rows().isEmpty())).isTrue();
    }

    @Test
    void cancelStopsTheSweepWhileItEvaluatesAndKeepsTheViewUsable(FxRobot robot) throws Exception {
        // The whole WikiText-2 test split: the baseline's evaluation alone takes minutes, so cancel lands during it.
        EngineSetup wholeText = new EngineSetup(SETUP.modelDir(), SETUP.calibration(),
                new io.svdwb.engine.eval.EvaluationProtocol(SETUP.evaluation().text(), 256, 0, 0, null));
        runFx(() -> model.setupProperty().set(wholeText));
        robot.clickOn("#runSweep");
        waitUntil(() -> robot.lookup("#sweepPhase").queryAs(Label.class).getText().equals("Evaluating the uncompressed model")
                && robot.lookup("#sweepProgress").queryAs(javafx.scene.control.ProgressBar.class).getProgress() > 0);
        assertThat(onFx(() -> robot.lookup("#cancelSweep").queryAs(Button.class).isDisabled())).isFalse();

        robot.clickOn("#cancelSweep");
        waitUntil(() -> !model.runningProperty().get());
        assertThat(onFx(() -> model.statusProperty().get())).isEqualTo("Sweep cancelled; the rows above were finished before");
        waitUntil(() -> tasks.tasks().isEmpty());
        assertThat(onFx(() -> model.rows().isEmpty())).isTrue();
        assertThat(onFx(() -> robot.lookup("#runSweep").queryAs(Button.class).isDisabled())).isFalse();
        // The engine really stopped: the single worker is free for the next job.
        io.svdwb.app.tasks.EngineTask<String> next = onFx(() -> tasks.submit("next job", progress -> "ran"));
        waitUntil(() -> next.getState() == javafx.concurrent.Worker.State.SUCCEEDED);
    }
}
