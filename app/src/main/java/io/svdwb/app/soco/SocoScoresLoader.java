package io.svdwb.app.soco;

import io.svdwb.app.OpenedModel;
import io.svdwb.app.WorkbenchModel;
import io.svdwb.engine.soco.SocoScores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.application.Platform;

/**
 * Shows the scores of an opened SoCo export: when a model folder holding {@value SocoScores#FILE_NAME} opens, the
 * file is read off the FX thread and its scores become the model's; any other model clears the scores (they
 * belonged to the previous one). FX thread only, except the read.
 */
public final class SocoScoresLoader implements AutoCloseable {

    private final WorkbenchModel model;
    private final ExecutorService reader = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "svdwb-soco-scores");
        thread.setDaemon(true);
        return thread;
    });

    public SocoScoresLoader(WorkbenchModel model) {
        this.model = model;
        model.openedModelProperty().addListener((observable, before, now) -> opened(now));
    }

    private void opened(OpenedModel opened) {
        SocoModel soco = model.soco();
        soco.scoresProperty().set(null);
        soco.scoresSourceProperty().set("");
        soco.steps().clear();
        soco.trainingStatusProperty().set("");
        Path file = opened == null ? null : opened.folder().resolve(SocoScores.FILE_NAME);
        if (file == null) {
            return;
        }
        reader.execute(() -> {
            if (!Files.isRegularFile(file)) {
                return;
            }
            String source;
            SocoScores scores;
            try {
                scores = SocoScores.read(file);
                source = "from " + file;
            } catch (Exception e) {
                scores = null;
                source = "Could not read " + file + ": " + e.getMessage();
            }
            SocoScores read = scores;
            String from = source;
            Platform.runLater(() -> {
                // Only if that model is still the one shown.
                if (model.getOpenedModel() == opened) {
                    soco.scoresSourceProperty().set(from);
                    soco.scoresProperty().set(read);
                }
            });
        });
    }

    @Override
    public void close() {
        reader.shutdown();
    }
}
