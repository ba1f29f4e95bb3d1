package io.svdwb.app.compare;

import io.svdwb.app.setup.EngineContexts;
import io.svdwb.app.setup.EngineSetup;
import io.svdwb.app.tasks.BackgroundTasks;
import io.svdwb.app.tasks.EngineTask;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.compress.method.MethodSettings;
import io.svdwb.engine.pipeline.CompressionPipeline;
import io.svdwb.engine.pipeline.MemoryPolicy;
import io.svdwb.engine.pipeline.Sweep;
import io.svdwb.engine.progress.CancelledException;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/**
 * Runs the compare view's sweep as a background task: the engine's {@link Sweep} with the tools' pipeline on the shared
 * context and the default memory policy, each row published to the model as soon as the engine delivers it.
 */
public final class SweepRunner {

    private final CompareModel model;
    private final BackgroundTasks tasks;
    private final EngineContexts contexts;
    private final Consumer<Throwable> failureReporter;
    private final ReadOnlyObjectWrapper<EngineTask<Integer>> current = new ReadOnlyObjectWrapper<>(this, "current");
    /** Counts sweeps, so rows still arriving from a cancelled one are not mixed into the next one's. */
    private long generation;

    /** {@code failureReporter} hears, on the FX thread, of sweeps that failed (not of cancelled ones). */
    public SweepRunner(CompareModel model, BackgroundTasks tasks, EngineContexts contexts, Consumer<Throwable> failureReporter) {
        this.model = model;
        this.tasks = tasks;
        this.contexts = contexts;
        this.failureReporter = failureReporter;
    }

    /** Starts a sweep of the model's methods and ratios, replacing the rows shown; call on the FX thread. */
    public void start() {
        String problem = startProblem();
        if (problem != null) {
            model.statusProperty().set(problem);
            return;
        }
        EngineSetup setup = model.setupProperty().get();
        List<MethodId> methods = model.methods().stream().sorted().toList();
        List<Double> ratios = model.ratios();
        java.util.Map<io.svdwb.engine.compress.method.MethodId, MethodSettings> settings = model.settingsProperty().get();
        Selection chosen = model.selectionProperty().get();
        model.rows().clear();
        model.heatMapRowProperty().set(null);
        model.protocolProperty().set("");
        model.runningProperty().set(true);
        model.statusProperty().set("Sweeping " + methods.size() * ratios.size() + " settings…");
        long sweep = ++generation;

        EngineTask<Integer> task = tasks.submit("Sweep " + methods.stream().map(MethodId::cliName).toList() + " x " + ratios, progress -> {
            CompressionPipeline pipeline = contexts.pipeline(setup);
            String protocol = setup.evaluation().resolvedFor(pipeline.context().checkpoint().config()).describe();
            Platform.runLater(() -> {
                if (sweep == generation) {
                    model.protocolProperty().set(protocol);
                }
            });
            Selection selection = chosen != null ? chosen : Selection.all(pipeline.context().checkpoint().config());
            int[] delivered = {0};
            new Sweep(pipeline).run(methods, ratios, selection, settings::get, setup.evaluation(), MemoryPolicy.defaults(), progress, row -> {
                ComparisonRow shown = ComparisonRow.of(row);
                delivered[0]++;
                Platform.runLater(() -> publish(sweep, shown));
            });
            return delivered[0];
        });
        current.set(task);
        task.setOnSucceeded(event -> finish(task, String.format(Locale.ROOT, "Sweep finished: %d rows", task.getValue())));
        task.setOnCancelled(event -> finish(task, "Sweep cancelled; the rows above were finished before"));
        task.setOnFailed(event -> {
            Throwable error = task.getException();
            if (error instanceof CancelledException) {
                finish(task, "Sweep cancelled");
                return;
            }
            finish(task, "Sweep failed: " + describe(error));
            failureReporter.accept(error);
        });
    }

    /** Asks the running sweep to stop at the engine's next check; call on the FX thread. */
    public void cancel() {
        if (current.get() != null) {
            current.get().cancel();
        }
    }

    /** The sweep running now (its progress and phase), or null. */
    public ReadOnlyObjectProperty<EngineTask<Integer>> currentProperty() {
        return current.getReadOnlyProperty();
    }

    /** Why a sweep cannot start now, or null. */
    public String startProblem() {
        if (model.runningProperty().get()) {
            return "A sweep is already running";
        }
        if (model.setupProperty().get() == null) {
            return "Open a model first";
        }
        if (model.methods().isEmpty()) {
            return "Choose at least one method";
        }
        return model.ratiosProblemProperty().get();
    }

    private void publish(long sweep, ComparisonRow row) {
        if (sweep != generation) {
            return;
        }
        model.rows().add(row);
        if (model.heatMapRowProperty().get() == null && !row.baseline()) {
            model.heatMapRowProperty().set(row);
        }
    }

    private void finish(EngineTask<Integer> task, String status) {
        if (task != current.get()) {
            return;
        }
        current.set(null);
        model.runningProperty().set(false);
        model.statusProperty().set(status);
    }

    static String describe(Throwable error) {
        return error.getMessage() != null ? error.getMessage() : error.toString();
    }
}
