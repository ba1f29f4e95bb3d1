package io.svdwb.app.export;

import javafx.scene.Scene;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

/** The export view in its own window, owned by the workbench (closing it does not stop an export that runs). */
public final class ExportDialog {

    private ExportDialog() {
    }

    public static Stage show(Window owner, ExportView view) {
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.initModality(Modality.NONE);
        stage.setTitle("Export compressed model");
        stage.setScene(new Scene(view.node()));
        stage.show();
        return stage;
    }
}
