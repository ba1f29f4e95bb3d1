package io.svdwb.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javafx.concurrent.Task;

/**
 * Opens model folders in the background and publishes the result to the {@link WorkbenchModel} on the
 * FX thread. The latest request wins: a load that finishes after a newer one was started is closed and
 * dropped. (Opening is not interruptible, so older loads are left to finish rather than cancelled.)
 */
final class ModelLoader implements AutoCloseable {

    private final WorkbenchModel model;
    private final Consumer<String> errorReporter;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "svdwb-model-loader");
        thread.setDaemon(true);
        return thread;
    });
    private Task<OpenedModel> latest;

    /** {@code errorReporter} is told, on the FX thread, what is wrong with a folder that failed to open. */
    ModelLoader(WorkbenchModel model, Consumer<String> errorReporter) {
        this.model = model;
        this.errorReporter = errorReporter;
    }

    /** Starts opening {@code folder}; call on the FX thread. */
    void open(Path folder) {
        Task<OpenedModel> task = new Task<>() {
            @Override
            protected OpenedModel call() throws IOException {
                return OpenedModel.open(folder);
            }
        };
        latest = task;
        model.loadingProperty().set(true);
        model.setStatus("Opening " + folder + " …");
        task.setOnSucceeded(event -> {
            if (task != latest) {
                closeIfOpen(task.getValue());
                return;
            }
            finish();
            OpenedModel opened = task.getValue();
            closeIfOpen(model.replaceOpenedModel(opened));
            model.lastErrorProperty().set(null);
            model.setStatus("Opened " + opened.folder());
        });
        task.setOnFailed(event -> {
            if (task != latest) {
                return;
            }
            finish();
            String message = describe(task.getException());
            model.lastErrorProperty().set(message);
            model.setStatus("Could not open " + folder);
            errorReporter.accept(message);
        });
        executor.execute(task);
    }

    private void finish() {
        latest = null;
        model.loadingProperty().set(false);
    }

    /** The engine's messages name the file and the problem; other failures are unexpected, so keep their type. */
    static String describe(Throwable error) {
        if (error instanceof IOException && error.getMessage() != null) {
            return error.getMessage();
        }
        return error.toString();
    }

    private static void closeIfOpen(OpenedModel opened) {
        if (opened == null) {
            return;
        }
        try {
            opened.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not close " + opened.folder(), e);
        }
    }

    /** Stops the loader thread and closes the shown model; call on the FX thread. */
    @Override
    public void close() {
        executor.shutdownNow();
        closeIfOpen(model.replaceOpenedModel(null));
    }
}
