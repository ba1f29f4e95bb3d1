package io.svdwb.app.compare;

import static io.svdwb.app.support.Fx.onFx;
import static io.svdwb.app.support.Fx.runFx;
import static io.svdwb.app.support.Fx.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.app.setup.EngineContexts;
import io.svdwb.app.setup.EngineSetup;
import io.svdwb.app.support.DemoEngine;
import io.svdwb.app.support.NoFileDialogs;
import io.svdwb.app.tasks.BackgroundTasks;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.pipeline.CompressionPipeline;
import io.svdwb.engine.pipeline.MemoryPolicy;
import io.svdwb.engine.pipeline.Sweep;
import io.svdwb.engine.pipeline.SweepRow;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.soco.SocoSchedule;
import io.svdwb.engine.soco.SocoSettings;
import java.util.List;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/** SoCo in the compare view: a sweep row trained from the view equals the engine's sweep with the same settings. */
@ExtendWith(ApplicationExtension.class)
class CompareSocoSweepTest {

    private static final EngineSetup SETUP = DemoEngine.setup();
    private static final java.util.Map<MethodId, io.svdwb.engine.compress.method.MethodSettings> TINY = java.util.Map.of(MethodId.SOCO,
            io.svdwb.engine.compress.method.SocoOptions.with(MethodId.SOCO.defaults(), SocoSettings.DEFAULTS
                    .withSchedule(SocoSchedule.DEFAULT.withSteps(2, 2, 2)).withBatch(2, 32).withPolish(2)));

    private static List<SweepRow> expected;

    private CompareModel model;
    private BackgroundTasks tasks;
    private EngineContexts contexts;
    private CompareView view;

    @BeforeAll
    static void sweepDirectly() throws Exception {
        try (CompressionContext context = DemoEngine.openContext(SETUP)) {
            expected = new Sweep(new CompressionPipeline(context)).run(List.of(MethodId.SOCO), List.of(0.4),
                    Selection.all(context.checkpoint().config()), TINY::get, SETUP.evaluation(), MemoryPolicy.defaults(), ProgressListener.NONE,
                    row -> { });
        }
    }

    @Start
    void start(Stage stage) {
        model = new CompareModel();
        model.setupProperty().set(SETUP);
        model.settingsProperty().set(TINY);
        tasks = new BackgroundTasks();
        contexts = new EngineContexts();
        view = new CompareView(model, new SweepRunner(model, tasks, contexts, error -> { }), new NoFileDialogs());
        stage.setScene(new Scene(view.node(), 1200, 800));
        stage.show();
    }

    @Stop
    void stop() {
        tasks.close();
        contexts.close();
    }

    @Test
    void aSocoRowFromTheViewEqualsTheEnginesSweep(FxRobot robot) throws Exception {
        runFx(() -> model.methods().setAll(List.of()));
        robot.clickOn("#method-soco");
        robot.doubleClickOn("#ratiosField").eraseText(20).write("0.4");
        waitUntil(() -> model.methods().equals(List.of(MethodId.SOCO)) && model.ratios().equals(List.of(0.4)));
        robot.clickOn("#runSweep");
        waitUntil(() -> !model.runningProperty().get() && model.rows().size() == 2);

        List<ComparisonRow> rows = onFx(() -> List.copyOf(model.rows()));
        SweepRow engine = expected.get(1);
        assertThat(rows.get(1).method()).isEqualTo("soco");
        assertThat(rows.get(1).keptParameters()).isEqualTo(engine.keptParameters());
        double ppl = engine.perplexity().perplexity();
        // the same training (seeded batches, deterministic products) and evaluation: equal to rounding
        assertThat(rows.get(1).perplexity()).isCloseTo(ppl, within(1e-9 * ppl));
        XYDataset series = onFx(() -> view.perplexityChart().chart().getXYPlot().getDataset());
        assertThat(series.getSeriesCount()).isEqualTo(1);
        assertThat(String.valueOf(series.getSeriesKey(0))).isEqualTo("soco");
        assertThat(series.getYValue(0, 0)).isCloseTo(ppl, within(1e-9 * ppl));
    }
}
