package io.svdwb.app.export;

import static io.svdwb.app.support.Fx.onFx;
import static io.svdwb.app.support.Fx.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.app.FileDialogs;
import io.svdwb.app.CompressionSetting;
import io.svdwb.app.setup.EngineContexts;
import io.svdwb.app.setup.EngineSetup;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.app.support.DemoEngine;
import io.svdwb.app.tasks.BackgroundTasks;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.CompressedModels;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.CompressionResult;
import io.svdwb.engine.compress.method.Compressor;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.compress.method.ModuleOutcome;
import io.svdwb.engine.eval.EvaluationTokens;
import io.svdwb.engine.eval.PerplexityEvaluator;
import io.svdwb.engine.export.Manifest;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.progress.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/** The export dialog driven like a user would: svd-llm at 0.4 on the demo model, written, reloaded and measured. */
@ExtendWith(ApplicationExtension.class)
class ExportViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The compressed model's perplexity and ranks as the engine computes them, without the workbench. */
    private static double inMemoryPerplexity;
    private static Map<String, Integer> ranks;

    private final AtomicReference<Path> nextFolder = new AtomicReference<>();
    private EngineSetup setup = DemoEngine.setup();
    private BackgroundTasks tasks;
    private EngineContexts contexts;
    private ExportView view;

    @BeforeAll
    static void compressDirectly() throws Exception {
        EngineSetup setup = DemoEngine.setup();
        try (CompressionContext context = DemoEngine.openContext(setup)) {
            CompressionResult result = new Compressor(context).compress(choice(context.checkpoint().config().numLayers()).request(),
                    ProgressListener.NONE);
            LlamaModel model = CompressedModels.install(new LlamaModel(context.checkpoint(), LinearAlgebra.cpu(),
                    LlamaModel.Residency.KEEP), result);
            EvaluationTokens e = setup.evaluation().tokenize(context.modelDir(), context.checkpoint().config());
            inMemoryPerplexity = new PerplexityEvaluator(model).evaluate(e, ProgressListener.NONE).perplexity();
            ranks = new LinkedHashMap<>();
            for (ModuleOutcome m : result.modules()) {
                ranks.put(m.module(), m.rank());
            }
        }
    }

    private static CompressionSetting choice(int layers) {
        java.util.BitSet all = new java.util.BitSet();
        all.set(0, layers);
        return new CompressionSetting(MethodId.SVD_LLM, 0.4, new Selection(all, java.util.EnumSet.allOf(io.svdwb.engine.model.ProjectionKind.class)),
                MethodId.SVD_LLM.defaults());
    }

    @Start
    void start(Stage stage) {
        mount(stage, setup);
    }

    private void mount(Stage stage, EngineSetup engineSetup) {
        tasks = new BackgroundTasks();
        contexts = new EngineContexts();
        view = new ExportView(engineSetup, choice(5), tasks, contexts, new FileDialogs() {
            @Override
            public Optional<Path> save(Window owner, String title, String extension, String suggestedName) {
                return Optional.empty();
            }

            @Override
            public Optional<Path> open(Window owner, String title, String extension) {
                return Optional.empty();
            }

            @Override
            public Optional<Path> folder(Window owner, String title) {
                return Optional.ofNullable(nextFolder.getAndSet(null));
            }
        });
        stage.setScene(new Scene(view.node()));
        stage.show();
    }

    @Stop
    void stop() {
        tasks.close();
        contexts.close();
    }

    @Test
    void denseExportReloadsToTheInMemoryPerplexity(FxRobot robot, @TempDir Path out) throws Exception {
        ExportOutcome done = export(robot, out, "#kind-dense");
        Path folder = out.resolve("stories260K-svd-llm-0.40-dense");
        assertThat(done.folder()).isEqualTo(folder);
        assertThat(done.inMemoryPerplexity()).isCloseTo(inMemoryPerplexity, within(1e-9 * inMemoryPerplexity));
        // Dense stores the float product A·B, which rounds differently from applying B then A.
        assertThat(done.reloadedPerplexity()).isCloseTo(inMemoryPerplexity, within(1e-4 * inMemoryPerplexity));
        // Dense keeps the original architecture: every parameter of the model (PROVENANCE.md: 260,032).
        assertThat(done.parameters()).isEqualTo(260_032);
        assertThat(folder.resolve("model.safetensors")).isRegularFile();
        assertThat(readRanks(folder)).isEqualTo(ranks);
        assertThat(label(robot, "#exportResult")).contains(String.format(java.util.Locale.ROOT,
                "Perplexity in memory: %.6f; reloaded from the export: %.6f", done.inMemoryPerplexity(), done.reloadedPerplexity()));
    }

    @Test
    void factoredExportReloadsToTheInMemoryPerplexity(FxRobot robot, @TempDir Path out) throws Exception {
        ExportOutcome done = export(robot, out, "#kind-factored");
        Path folder = out.resolve("stories260K-svd-llm-0.40-factored");
        assertThat(done.folder()).isEqualTo(folder);
        assertThat(done.inMemoryPerplexity()).isCloseTo(inMemoryPerplexity, within(1e-9 * inMemoryPerplexity));
        assertThat(done.reloadedPerplexity()).isCloseTo(inMemoryPerplexity, within(1e-6 * inMemoryPerplexity));
        // Factored stores k(m + n) per module: 260,032 - 226,560 + 131,420 (CompressorTest's count at 0.4).
        assertThat(done.parameters()).isEqualTo(260_032 - 226_560 + 131_420);
        assertThat(readRanks(folder)).isEqualTo(ranks);
        assertThat(label(robot, "#exportResult")).contains("factored, 164,892 parameters");
    }

    @Test
    void anExistingFolderWithoutOverwriteIsRefusedAndLeftUntouched(FxRobot robot, @TempDir Path out) throws Exception {
        Path existing = Files.createDirectories(out.resolve("existing"));
        Files.writeString(existing.resolve("keep.txt"), "mine");
        robot.clickOn("#exportFolder").write(existing.toString());
        robot.clickOn("#startExport");

        waitUntil(() -> !label(robot, "#exportError").isEmpty());
        assertThat(label(robot, "#exportError")).isEqualTo(existing + ": the export target already exists; choose another folder "
                + "or allow overwriting. Tick \"Replace an existing export in that folder\" to replace it.");
        assertThat(onFx(() -> tasks.tasks().isEmpty())).isTrue();
        assertThat(onFx(() -> view.outcomeProperty().get())).isNull();
        try (var files = Files.list(existing)) {
            assertThat(files.toList()).containsExactly(existing.resolve("keep.txt"));
        }
        assertThat(Files.readString(existing.resolve("keep.txt"))).isEqualTo("mine");
    }

    @Test
    void rankMapOnlyWritesTheTwoDescriptionsAndRefusesToReplaceThemUnlessAsked(FxRobot robot, @TempDir Path out) throws Exception {
        ExportOutcome done = export(robot, out, "#kind-rank-map");
        Path folder = out.resolve("stories260K-svd-llm-0.40-rank-map");
        assertThat(done.folder()).isEqualTo(folder);
        try (var files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("manifest.json", "rank_map.json");
        }
        assertThat(readRanks(folder)).isEqualTo(ranks);
        Manifest manifest = Manifest.fromJson(Files.readString(folder.resolve("manifest.json")));
        assertThat(manifest.method()).isEqualTo("svd-llm");
        assertThat(manifest.targetRatio()).isEqualTo(0.4);
        assertThat(manifest.ranks()).isEqualTo(ranks);

        robot.clickOn("#startExport");
        waitUntil(() -> !label(robot, "#exportError").isEmpty());
        assertThat(label(robot, "#exportError")).startsWith(folder.resolve("rank_map.json") + ": already exists");
        robot.clickOn("#exportOverwrite").clickOn("#startExport");
        waitUntil(() -> label(robot, "#exportError").isEmpty() && label(robot, "#exportResult").startsWith("Wrote rank_map.json"));
    }

    @Test
    void cancelDuringTheCheckLeavesNoFolder(FxRobot robot, @TempDir Path out) throws Exception {
        // The whole WikiText-2 test split: the in-memory evaluation takes minutes, so cancel lands during it.
        setup = new EngineSetup(setup.modelDir(), setup.calibration(), new EvaluationProtocol(setup.evaluation().text(), 256, 0, 0, null));
        Stage stage = onFx(() -> (Stage) view.node().getScene().getWindow());
        tasks.close();
        contexts.close();
        onFx(() -> {
            mount(stage, setup);
            return null;
        });
        Path folder = out.resolve("cancelled");
        robot.clickOn("#exportFolder").write(folder.toString());
        robot.clickOn("#startExport");
        waitUntil(() -> label(robot, "#exportPhase").equals("perplexity")
                && robot.lookup("#exportProgress").queryAs(javafx.scene.control.ProgressBar.class).getProgress() > 0);
        robot.clickOn("#cancelExport");
        waitUntil(() -> label(robot, "#exportError").equals("Export cancelled; " + folder + " was left as it was"));
        io.svdwb.app.tasks.EngineTask<String> next = onFx(() -> tasks.submit("next job", progress -> "ran"));
        waitUntil(() -> next.getState() == javafx.concurrent.Worker.State.SUCCEEDED);
        assertThat(folder).doesNotExist();
        try (var files = Files.list(out)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    /** Chooses {@code out} as the parent folder, the format, and runs the export to the end. */
    private ExportOutcome export(FxRobot robot, Path out, String kind) throws Exception {
        robot.clickOn(kind);
        nextFolder.set(out);
        robot.clickOn("#chooseExportFolder");
        waitUntil(() -> !robot.lookup("#exportFolder").queryAs(TextField.class).getText().isEmpty());
        robot.clickOn("#startExport");
        waitUntil(() -> view.outcomeProperty().get() != null || !label(robot, "#exportError").isEmpty());
        assertThat(label(robot, "#exportError")).isEmpty();
        return onFx(() -> view.outcomeProperty().get());
    }

    private static Map<String, Integer> readRanks(Path folder) throws Exception {
        return JSON.readValue(folder.resolve("rank_map.json").toFile(), new TypeReference<LinkedHashMap<String, Integer>>() { });
    }

    private static String label(FxRobot robot, String id) throws Exception {
        return onFx(() -> robot.lookup(id).queryAs(Label.class).getText());
    }
}
