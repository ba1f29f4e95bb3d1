package io.svdwb.app.support;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Labeled;
import javafx.scene.text.Text;

/**
 * Labels whose text is cut off on screen: the skin's text node (LabeledText) shows something other than the label's text,
 * with an ellipsis. Call on the FX thread after a layout pulse.
 */
public final class Truncation {

    private Truncation() {
    }

    /** Every shown label under {@code root} whose rendered text ends in (or holds) an ellipsis its text does not have. */
    public static List<String> cutLabels(Node root) {
        List<String> cut = new ArrayList<>();
        collect(root, cut);
        return cut;
    }

    private static void collect(Node node, List<String> cut) {
        if (!node.isVisible()) {
            return;
        }
        if (node instanceof Labeled labeled && labeled.getText() != null && !labeled.getText().isEmpty()) {
            String rendered = rendered(labeled);
            String ellipsis = labeled.getEllipsisString();
            if (rendered != null && !ellipsis.isEmpty() && rendered.contains(ellipsis) && !labeled.getText().contains(ellipsis)) {
                cut.add((labeled.getId() == null ? labeled.getClass().getSimpleName() : "#" + labeled.getId()) + ": \"" + rendered
                        + "\" of \"" + labeled.getText() + "\" (" + Math.round(labeled.getWidth()) + " px wide)");
            }
        }
        if (node instanceof Parent parent) {
            for (Node child : parent.getChildrenUnmodifiable()) {
                collect(child, cut);
            }
        }
    }

    /** The text the label's skin draws, or null before it has one. */
    private static String rendered(Labeled labeled) {
        for (Node child : labeled.getChildrenUnmodifiable()) {
            if (child instanceof Text text && child.getStyleClass().contains("text")) {
                return text.getText();
            }
        }
        return null;
    }
}
