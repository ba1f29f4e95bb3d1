package io.svdwb.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testfx.api.FxAssert.verifyThat;
import static org.testfx.matcher.control.LabeledMatchers.hasText;

import io.svdwb.app.view.ErrorDialog;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;
import org.testfx.util.WaitForAsyncUtils;

/** The real main window on the embedded demo model, headless under Monocle; values come from the engine. */
@ExtendWith(ApplicationExtension.class)
class WorkbenchWindowTest {

    private static final Path DEMO = DemoModelLocator.find().orElseThrow();
    private static final long TIMEOUT_S = 20;

    /** What the stubbed folder dialog answers next (the native one cannot be driven headless). */
    private final AtomicReference<Path> nextChosenFolder = new AtomicReference<>();
    private Workbench workbench;

    @Start
    void start(Stage stage) {
        workbench = Workbench.show(stage, owner -> Optional.ofNullable(nextChosenFolder.getAndSet(null)), TestEngineSettings.settings());
        workbench.open(DEMO);
    }

    @Stop
    void stop() {
        workbench.close();
    }

    @BeforeEach
    void waitForDemoModel() throws Exception {
        waitUntilLoaded();
    }

    @Test
    void summaryShowsTheDemoModelAsTheEngineReportsIt() throws Exception {
        verifyThat("#modelName", hasText("stories260K"));
        verifyThat("#modelType", hasText("llama"));
        verifyThat("#hiddenSize", hasText("64"));
        verifyThat("#intermediateSize", hasText("172"));
        verifyThat("#numLayers", hasText("5"));
        verifyThat("#heads", hasText("8 / 4"));
        verifyThat("#headDim", hasText("8"));
        verifyThat("#vocabSize", hasText("512"));
        // PROVENANCE.md: 260,032 parameters, tied embeddings counted once.
        verifyThat("#totalParameters", hasText("260,032"));
        // 5 x (4,096 + 2,048 + 2,048 + 4,096 + 3 x 11,008) = 5 x 45,312.
        verifyThat("#compressibleParameters", hasText("226,560"));
        assertThat(onFx(() -> workbench.stage().getTitle())).isEqualTo("SVD Workbench — stories260K");
        assertThat(label("#statusLabel")).startsWith("Opened ").endsWith("stories260K");
        assertThat(label("#memoryLabel")).matches("Memory [0-9,]+ MB of [0-9,]+ MB");
    }

    @Test
    void layerTreeHasFiveLayersOfSevenMatrices() throws Exception {
        List<TreeItem<?>> layers = onFx(() -> List.copyOf(tree().getRoot().getChildren()));
        assertThat(layers).hasSize(5);
        for (TreeItem<?> layer : layers) {
            assertThat(onFx(() -> layer.getChildren().size())).isEqualTo(7);
        }
        assertThat(onFx(() -> text("nameColumn", layers.get(3)))).isEqualTo("Layer 3");
        List<String> names = onFx(() -> layers.get(0).getChildren().stream().map(m -> text("nameColumn", m)).toList());
        assertThat(names).containsExactly("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");
        List<String> labels = onFx(() -> layers.get(4).getChildren().stream().map(m -> text("labelColumn", m)).toList());
        assertThat(labels).containsExactly("L4.q", "L4.k", "L4.v", "L4.o", "L4.gate", "L4.up", "L4.down");
    }

    @Test
    void matrixRowsShowEngineShapesAndParameters() throws Exception {
        List<String> rows = onFx(() -> tree().getRoot().getChildren().get(0).getChildren().stream()
                .map(m -> text("nameColumn", m) + " " + text("shapeColumn", m) + " " + text("parametersColumn", m)
                        + " " + text("tensorColumn", m))
                .toList());
        assertThat(rows).containsExactly(
                "q_proj 64 × 64 4,096 model.layers.0.self_attn.q_proj.weight",
                // GQA: 4 kv heads x head_dim 8 = 32 rows.
                "k_proj 32 × 64 2,048 model.layers.0.self_attn.k_proj.weight",
                "v_proj 32 × 64 2,048 model.layers.0.self_attn.v_proj.weight",
                "o_proj 64 × 64 4,096 model.layers.0.self_attn.o_proj.weight",
                "gate_proj 172 × 64 11,008 model.layers.0.mlp.gate_proj.weight",
                "up_proj 172 × 64 11,008 model.layers.0.mlp.up_proj.weight",
                "down_proj 64 × 172 11,008 model.layers.0.mlp.down_proj.weight");
        // Layer 0 starts expanded, so its cells are really on screen, not only in the data.
        assertThat(visibleCell("172 × 64")).isTrue();
        assertThat(visibleCell("64 × 172")).isTrue();
        assertThat(visibleCell("11,008")).isTrue();
    }

    @Test
    void openingAFolderThatIsNotAModelShowsWhyAndKeepsTheWindowUsable(@TempDir Path empty, FxRobot robot) throws Exception {
        nextChosenFolder.set(empty);
        robot.clickOn("File").clickOn("Open model folder…");

        WaitForAsyncUtils.waitFor(TIMEOUT_S, TimeUnit.SECONDS, () -> robot.lookup("#" + ErrorDialog.ID).tryQuery().isPresent());
        DialogPane dialog = robot.lookup("#" + ErrorDialog.ID).queryAs(DialogPane.class);
        String message = onFx(() -> ((Label) dialog.lookup("#errorMessage")).getText());
        assertThat(message).contains(empty.resolve("config.json").toString()).contains("not found");
        assertThat(label("#statusLabel")).isEqualTo("Could not open " + empty);

        robot.clickOn(onFx(() -> (Button) dialog.lookupButton(ButtonType.OK)));
        WaitForAsyncUtils.waitFor(TIMEOUT_S, TimeUnit.SECONDS, () -> robot.lookup("#" + ErrorDialog.ID).tryQuery().isEmpty());

        // The model that was open is still shown, and the menu still opens models.
        verifyThat("#totalParameters", hasText("260,032"));
        nextChosenFolder.set(DEMO);
        robot.clickOn("File").clickOn("Open model folder…");
        waitUntilLoaded();
        assertThat(label("#statusLabel")).startsWith("Opened ");
        verifyThat("#compressibleParameters", hasText("226,560"));
        assertThat(onFx(() -> workbench.model().lastErrorProperty().get())).isNull();
    }

    private void waitUntilLoaded() throws Exception {
        WaitForAsyncUtils.waitFor(TIMEOUT_S, TimeUnit.SECONDS,
                () -> onFx(() -> !workbench.model().isLoading() && workbench.model().getOpenedModel() != null));
        WaitForAsyncUtils.waitForFxEvents();
    }

    @SuppressWarnings("unchecked")
    private TreeTableView<Object> tree() {
        return (TreeTableView<Object>) workbench.stage().getScene().lookup("#layerTree");
    }

    /** What a column shows for a row, as its cells render it. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private String text(String columnId, TreeItem item) {
        TreeTableColumn<Object, ?> column = tree().getColumns().stream()
                .filter(c -> columnId.equals(c.getId())).findFirst().orElseThrow();
        return String.valueOf(column.getCellObservableValue(item).getValue());
    }

    private boolean visibleCell(String text) throws Exception {
        return onFx(() -> tree().lookupAll(".tree-table-cell").stream()
                .anyMatch(node -> node.isVisible() && text.equals(((TreeTableCell<?, ?>) node).getText())));
    }

    private String label(String id) throws Exception {
        return onFx(() -> ((Label) workbench.stage().getScene().lookup(id)).getText());
    }

    /** Reads FX state on the FX thread, as the model's contract requires. */
    private static <T> T onFx(Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(TIMEOUT_S, TimeUnit.SECONDS);
    }

}
