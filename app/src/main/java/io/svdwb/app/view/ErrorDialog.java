package io.svdwb.app.view;

import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.stage.Window;

/** A modal error message that does not block the caller (so background results and tests keep flowing). */
public final class ErrorDialog {

    /** The dialog pane's id, for tests. */
    public static final String ID = "errorDialog";

    private ErrorDialog() {
    }

    public static Alert show(Window owner, String header, String message) {
        Alert alert = new Alert(Alert.AlertType.ERROR);
        alert.initOwner(owner);
        alert.setTitle("SVD Workbench");
        alert.setHeaderText(header);
        // A wrapping label instead of contentText: engine messages carry long paths.
        Label text = new Label(message);
        text.setId("errorMessage");
        text.setWrapText(true);
        text.setMaxWidth(560);
        alert.getDialogPane().setContent(text);
        alert.getDialogPane().setMinHeight(Region.USE_PREF_SIZE);
        alert.getDialogPane().setId(ID);
        alert.setResizable(true);
        alert.show();
        return alert;
    }
}
