package io.svdwb.app;

import static io.svdwb.app.FxTestSupport.onFx;
import static io.svdwb.app.FxTestSupport.runFx;
import static io.svdwb.app.FxTestSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.app.support.OnScreen;
import io.svdwb.app.tasks.TaskListView;
import io.svdwb.engine.compress.method.MethodId;
import java.util.List;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/**
 * What the main view says about its own work: a long error stays in its bounded scroll area without moving the menus
 * or the controls; the task list counts a running estimate; an untrained SoCo setting says what it needs instead of
 * "updating" forever.
 */
@ExtendWith(ApplicationExtension.class)
class MainViewStatusTest {

    private Workbench workbench;
    private FxTestSupport fx;

    @Start
    void start(Stage stage) {
        fx = FxTestSupport.showDemo(stage, TestEngineSettings.settings(), model -> model.compression().methodProperty().set(MethodId.SVD));
        workbench = fx.workbench();
    }

    @Stop
    void stop() {
        workbench.close();
    }

    @BeforeEach
    void waitForTheFirstEstimate() throws Exception {
        fx.awaitDemoModel();
        waitUntil(() -> fx.model().currentEstimateProperty().getValue() != null && !fx.model().results().estimateJob().isRunning());
    }

    @Test
    void aThirtyLineErrorScrollsInItsAreaAndMovesNeitherTheMenusNorTheControls() throws Exception {
        List<String> fixed = List.of("#menuBar", "#controls", "#methodChooser", "#ratioSlider");
        List<Bounds> before = onFx(() -> fixed.stream().map(id -> OnScreen.inScene(fx.node(id, Node.class))).toList());
        StringBuilder error = new StringBuilder("svd c = 0.400: could not compress");
        for (int line = 1; line < 30; line++) {
            error.append("\n  caused by: line ").append(line).append(" of a long chain of causes");
        }
        runFx(() -> fx.model().results().estimateJob().errorProperty().set(error.toString()));
        waitUntil(() -> true);
        ScrollPane area = onFx(() -> fx.node("#estimateErrorArea", ScrollPane.class));
        assertThat(onFx(() -> OnScreen.shown(area))).isTrue();
        assertThat(onFx(() -> area.getHeight())).isBetween(10.0, 72.5);
        // the whole text is there, to scroll through
        assertThat(onFx(() -> fx.label("#estimateError"))).isEqualTo(error.toString());
        assertThat(onFx(() -> fx.node("#estimateError", Label.class).getHeight())).isGreaterThan(area.getHeight());
        List<Bounds> after = onFx(() -> fixed.stream().map(id -> OnScreen.inScene(fx.node(id, Node.class))).toList());
        for (int i = 0; i < fixed.size(); i++) {
            assertThat(after.get(i)).as(fixed.get(i)).isEqualTo(before.get(i));
            String id = fixed.get(i);
            assertThat(onFx(() -> OnScreen.insideWindow(fx.node(id, Node.class)))).as(id).isTrue();
        }
        // The charts below give the area its room, and keep a usable height.
        assertThat(onFx(() -> OnScreen.insideWindow(fx.node("#lowerTabs", Node.class)))).isTrue();
        assertThat(onFx(() -> fx.node("#lowerTabs", Node.class).getLayoutBounds().getHeight())).isGreaterThan(100);
        runFx(() -> fx.model().results().estimateJob().errorProperty().set(null));
    }

    @Test
    void theRunSettingsOfferTheMachinesDevicesAndADeviceThatCannotOpenSaysWhy() throws Exception {
        @SuppressWarnings("unchecked")
        javafx.scene.control.ComboBox<String> device = onFx(() -> fx.node("#device", javafx.scene.control.ComboBox.class));
        // the app's class path has no GPU backend: the CPU is the one choice, and the settings say why
        assertThat(onFx(() -> List.copyOf(device.getItems()))).containsExactly("cpu");
        assertThat(onFx(device::getValue)).isEqualTo("cpu");
        assertThat(onFx(() -> fx.label("#enginePaths"))).contains("GPU: no GPU backend on the class path");
        // a restored setting may name a GPU this machine lacks: the estimate fails naming what to add, the CPU recovers
        runFx(() -> fx.model().runSettings().deviceProperty().set("cuda:0"));
        assertThat(onFx(device::getValue)).isEqualTo("cuda:0");
        waitUntil(() -> fx.model().results().estimateJob().errorProperty().get() != null);
        assertThat(onFx(() -> fx.model().results().estimateJob().errorProperty().get()))
                .contains("no 'cuda' backend on the class path");
        runFx(() -> device.setValue("cpu"));
        assertThat(onFx(() -> fx.model().runSettings().getDevice())).isEqualTo("cpu");
        waitUntil(() -> fx.model().results().estimateJob().errorProperty().get() == null
                && fx.model().currentEstimateProperty().getValue() != null);
    }

    @Test
    void theTaskListCountsARunningEstimate() throws Exception {
        TaskListView list = onFx(() -> new TaskListView(workbench.tools().tasks()));
        Button tasks = onFx(() -> fx.node("#tasksButton", Button.class));
        assertThat(onFx(tasks::getText)).isEqualTo("No tasks");
        // A long debounce keeps the requested estimate pending (and so running) for the checks below.
        runFx(() -> fx.model().runSettings().debounceMillisProperty().set(4000));
        runFx(() -> fx.node("#ratioSlider", Slider.class).setValue(0.55));
        waitUntil(() -> fx.model().results().estimateJob().isRunning());
        assertThat(onFx(tasks::getText)).isEqualTo("1 task");
        assertThat(onFx(() -> list.shown().size())).isEqualTo(1);
        assertThat(onFx(() -> list.shown().get(0).getTitle())).startsWith("Perplexity estimate: ").contains("svd");
        waitUntil(() -> !fx.model().results().estimateJob().isRunning());
        waitUntil(() -> list.shown().isEmpty() && "No tasks".equals(tasks.getText()));
        runFx(() -> fx.model().runSettings().debounceMillisProperty().set(RunSettingsModel.DEFAULT_DEBOUNCE_MILLIS));
    }

    @Test
    void anUntrainedSocoSettingSaysItNeedsTrainingNotThatItIsUpdating() throws Exception {
        runFx(() -> fx.model().compression().methodProperty().set(MethodId.SOCO));
        waitUntil(() -> !fx.model().results().estimateJob().isRunning());
        Thread.sleep(1000);
        waitUntil(() -> true);
        assertThat(onFx(() -> fx.model().results().estimateJob().isRunning())).isFalse();
        String text = onFx(() -> fx.label("#estimateSetting"));
        assertThat(text).doesNotContain("updating").doesNotContain("computing").contains("train SoCo to estimate");
        assertThat(onFx(() -> fx.node("#socoTrain", Button.class).isDisabled())).isFalse();
        runFx(() -> fx.model().compression().methodProperty().set(MethodId.SVD));
    }
}
