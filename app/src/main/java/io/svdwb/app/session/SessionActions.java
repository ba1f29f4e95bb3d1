package io.svdwb.app.session;

import io.svdwb.app.FileDialogs;
import io.svdwb.app.compare.CompareModel;
import io.svdwb.app.setup.CurrentSetup;
import io.svdwb.app.view.ErrorDialog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import javafx.stage.Window;

/**
 * File > Save session… and Open session…: collects the current setup and the compare view's state into a
 * {@link Session} and back. Opening a session whose model is not the open one opens that model first and applies
 * the compression once it has loaded (opening a model otherwise resets the compression).
 */
public final class SessionActions {

    private final CurrentSetup current;
    private final CompareModel compare;
    private final FileDialogs dialogs;
    private final Consumer<Path> openModel;
    private final Consumer<String> status;
    private Session pending;

    public SessionActions(CurrentSetup current, CompareModel compare, FileDialogs dialogs, Consumer<Path> openModel, Consumer<String> status) {
        this.current = current;
        this.compare = compare;
        this.dialogs = dialogs;
        this.openModel = openModel;
        this.status = status;
    }

    /** The session of what is shown now; null while no model is open. */
    public Session capture() {
        if (current.modelDirProperty().get() == null || current.compressionProperty().get() == null) {
            return null;
        }
        return new Session(current.modelDirProperty().get(), current.compressionProperty().get(), current.calibrationProperty().get(),
                current.evaluationProperty().get(), List.copyOf(compare.methods()), compare.ratiosTextProperty().get(),
                compare.protocolProperty().get(), List.copyOf(compare.rows()), current.estimateProperty().get());
    }

    public void save(Window owner) {
        Session session = capture();
        if (session == null) {
            ErrorDialog.show(owner, "Nothing to save", "Open a model first; a session records a model and its settings.");
            return;
        }
        String suggested = session.modelDir().getFileName() + "." + SessionStore.EXTENSION;
        dialogs.save(owner, "Save session", "json", suggested).ifPresent(file -> {
            try {
                SessionStore.write(session, file);
                status.accept("Saved session " + file);
            } catch (IOException | RuntimeException e) {
                ErrorDialog.show(owner, "Could not save the session", file + ": " + e.getMessage());
            }
        });
    }

    public void open(Window owner) {
        dialogs.open(owner, "Open session", "json").ifPresent(file -> {
            try {
                apply(SessionStore.read(file));
                status.accept("Opened session " + file);
            } catch (IOException e) {
                ErrorDialog.show(owner, "Could not open the session", e.getMessage());
            }
        });
    }

    /** Shows {@code session}: settings and results now, the compression once its model is the open one. */
    public void apply(Session session) {
        current.calibrationProperty().set(session.calibration());
        current.evaluationProperty().set(session.evaluation());
        current.estimateProperty().set(session.estimate());
        compare.methods().setAll(session.compareMethods());
        compare.ratiosTextProperty().set(session.compareRatios());
        compare.showRows(session.sweepRows(), session.compareProtocol());
        Path model = session.modelDir().toAbsolutePath().normalize();
        Path open = current.modelDirProperty().get();
        if (open != null && open.toAbsolutePath().normalize().equals(model)) {
            current.compressionProperty().set(session.compression());
        } else {
            pending = session;
            openModel.accept(model);
        }
    }

    /**
     * Called when a model has been opened: the compression of the session that asked for it, or null if the
     * model was opened for another reason (the caller then uses its default).
     */
    public io.svdwb.app.setup.CompressionChoice takePendingCompression(Path opened) {
        Session waiting = pending;
        pending = null;
        if (waiting != null && waiting.modelDir().toAbsolutePath().normalize().equals(opened.toAbsolutePath().normalize())) {
            return waiting.compression();
        }
        return null;
    }
}
