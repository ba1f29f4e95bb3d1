package io.svdwb.app.export;

import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The export view in its own window, owned by the workbench. It closes with its Close button, Esc or the window's
 * close box, and each of them cancels an export that runs: an export belongs to the dialog that shows its progress.
 */
public final class ExportDialog {

    private ExportDialog() {
    }

    public static Stage show(Window owner, ExportView view) {
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.initModality(Modality.NONE);
        stage.setTitle("Export compressed model");
        Scene scene = new Scene(view.node());
        // A filter, not a handler: the folder field would otherwise see Esc first and keep it.
        scene.addEventFilter(KeyEvent.KEY_PRESSED, event -> {
            if (event.getCode() == KeyCode.ESCAPE) {
                event.consume();
                view.close();
            }
        });
        view.setCloser(stage::close);
        stage.setOnCloseRequest(event -> view.cancelRunning());
        stage.setScene(scene);
        stage.show();
        return stage;
    }
}
