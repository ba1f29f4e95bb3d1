package io.svdwb.app.tasks;

import static io.svdwb.app.support.Fx.onFx;
import static io.svdwb.app.support.Fx.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.app.support.DemoEngine;
import io.svdwb.engine.eval.PerplexityEvaluator;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.progress.CancelledException;
import io.svdwb.engine.progress.ProgressListener;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.concurrent.Worker;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/** The task list and the status-bar indicator over real background jobs. */
@ExtendWith(ApplicationExtension.class)
class BackgroundTasksTest {

    private BackgroundTasks tasks;
    private TaskListView list;
    private TasksIndicator indicator;

    @Start
    void start(Stage stage) {
        tasks = new BackgroundTasks();
        list = new TaskListView(tasks);
        indicator = new TasksIndicator(tasks);
        stage.setScene(new Scene(new VBox(8, list.node(), indicator.node()), 480, 360));
        stage.show();
    }

    @Stop
    void stop() {
        tasks.close();
    }

    @Test
    void aJobsPhaseAndProgressAppearInTheListAndTheListEmptiesWhenItEnds(FxRobot robot) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        EngineTask<String> task = onFx(() -> tasks.submit("Export svd-llm 0.40", progress -> {
            progress.begin("Writing model.safetensors", 10);
            progress.advanceTo(4);
            release.await(60, TimeUnit.SECONDS);
            progress.end();
            return "done";
        }));

        waitUntil(() -> robot.lookup(".task-message").tryQuery().map(n -> ((Label) n).getText()).orElse("")
                .equals("Writing model.safetensors"));
        waitUntil(() -> robot.lookup(".task-progress-bar").queryAs(ProgressBar.class).getProgress() == 0.4);
        assertThat(onFx(() -> robot.lookup(".task-title").queryAs(Label.class).getText())).isEqualTo("Export svd-llm 0.40");
        assertThat(onFx(() -> list.shown())).containsExactly(task);
        assertThat(onFx(() -> robot.lookup("#tasksButton").queryAs(Button.class).getText())).isEqualTo("1 task");

        // The status bar's button opens the same list in a popup.
        robot.clickOn("#tasksButton");
        waitUntil(() -> robot.lookup(".popover #" + TaskListView.ID).tryQuery().isPresent());
        assertThat(onFx(() -> robot.lookup(".popover .task-title").queryAs(Label.class).getText())).isEqualTo("Export svd-llm 0.40");
        robot.clickOn("#tasksButton");

        release.countDown();
        waitUntil(() -> task.getState() == Worker.State.SUCCEEDED);
        assertThat(task.get()).isEqualTo("done");
        waitUntil(() -> tasks.tasks().isEmpty() && list.shown().isEmpty());
        assertThat(onFx(() -> robot.lookup("#tasksButton").queryAs(Button.class).getText())).isEqualTo("No tasks");
    }

    @Test
    void cancelStopsTheEngineWithCancelledExceptionAndEmptiesTheList(FxRobot robot) throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch cancelClicked = new CountDownLatch(1);
        AtomicReference<Throwable> engineStopped = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        int[] tokens;
        try (Checkpoint checkpoint = Checkpoint.open(DemoEngine.MODEL)) {
            tokens = DemoEngine.setup().evaluation().tokenize(DemoEngine.MODEL, checkpoint.config()).tokens();
        }

        EngineTask<Double> task = onFx(() -> tasks.submit("Perplexity of the demo model", progress -> {
            try (Checkpoint checkpoint = Checkpoint.open(DemoEngine.MODEL)) {
                LlamaModel model = new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.KEEP);
                // One window per pass; after the first the job holds still until the test has clicked cancel.
                ProgressListener gate = new ProgressListener() {
                    @Override public void begin(String phase, long totalUnits) { progress.begin(phase, totalUnits); }
                    @Override public void end() { progress.end(); }
                    @Override public boolean isCancelled() { return progress.isCancelled(); }

                    @Override
                    public void advanceTo(long unitsDone) {
                        progress.advanceTo(unitsDone);
                        running.countDown();
                        await(cancelClicked);
                    }
                };
                return new PerplexityEvaluator(model).evaluate(tokens, 256, 2048, 1, gate).perplexity();
            } catch (RuntimeException e) {
                engineStopped.set(e);
                stopped.countDown();
                throw e;
            }
        }));

        assertThat(running.await(60, TimeUnit.SECONDS)).isTrue();
        // 2,048 tokens are 8 windows of 256, evaluated layer-major: a unit is one window through one layer, or one
        // window scored, 8 x (layers + 1) in all; the first is done.
        int layers;
        try (Checkpoint checkpoint = Checkpoint.open(DemoEngine.MODEL)) {
            layers = checkpoint.config().numLayers();
        }
        double firstUnit = 1.0 / (8 * (layers + 1));
        waitUntil(() -> robot.lookup(".task-progress-bar").queryAs(ProgressBar.class).getProgress() == firstUnit);
        assertThat(onFx(() -> robot.lookup(".task-message").queryAs(Label.class).getText())).isEqualTo("perplexity");

        robot.clickOn(".task-cancel-button");
        cancelClicked.countDown();

        assertThat(stopped.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(engineStopped.get()).isInstanceOf(CancelledException.class);
        assertThat(onFx(task::getState)).isEqualTo(Worker.State.CANCELLED);
        waitUntil(() -> tasks.tasks().isEmpty() && list.shown().isEmpty());
        assertThat(robot.lookup(".task-list-cell").tryQuery()).isEmpty();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
