package io.svdwb.app.view;

import javafx.geometry.Bounds;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.scene.text.Text;

/**
 * Holds one node that changes with every slider move (a number's label, the slider itself, a progress bar) so that
 * its changes lay out that node only. The node is an unmanaged child, and an unmanaged parent is a layout root
 * ({@link javafx.scene.Node#managedProperty()}); a managed node asking for layout (a new text, a moved slider thumb,
 * a new progress) would lay out every ancestor up to the window's root in the next pulse, which is where most of a
 * slider move's frame went (docs/BENCHMARKS.md).
 *
 * <p>So the barrier's size must not follow what changes: a label's barrier is one line of its font high and either
 * takes the width its parent gives it or is as wide as a template text; another node's barrier has that node's
 * preferred size as it was when the barrier was last laid out (a slider's or a progress bar's does not depend on
 * its value).
 */
final class LayoutBarrier extends Region {

    private final Region content;
    private final Label label;
    /** For a label: null to take the parent's width, else the template whose width the barrier has. */
    private final String widest;
    /** For a label: how many lines high the barrier is (a longer text wraps up to that, then ends in an ellipsis). */
    private final int lines;

    private LayoutBarrier(Region content, Label label, String widest) {
        this(content, label, widest, 1);
    }

    private LayoutBarrier(Region content, Label label, String widest, int lines) {
        this.content = content;
        this.label = label;
        this.widest = widest;
        this.lines = lines;
        content.setManaged(false);
        getChildren().add(content);
        if (label != null) {
            label.setWrapText(lines > 1);
            // The barrier's size depends on the font only; a new font (CSS) is the one change its parent must hear of.
            label.fontProperty().addListener((observable, before, now) -> requestLayout());
        }
    }

    /** A label's barrier that takes the width its parent gives it (the text is cut with an ellipsis where it does not fit). */
    static LayoutBarrier filling(Label label) {
        LayoutBarrier barrier = new LayoutBarrier(label, label, null);
        barrier.setMaxWidth(Double.MAX_VALUE);
        return barrier;
    }

    /**
     * A label's barrier that takes the width its parent gives it and is {@code lines} lines high, whatever the text: a
     * text too long for one line wraps instead of being cut, and the window is laid out the same either way.
     */
    static LayoutBarrier filling(Label label, int lines) {
        LayoutBarrier barrier = new LayoutBarrier(label, label, null, lines);
        barrier.setMaxWidth(Double.MAX_VALUE);
        return barrier;
    }

    /**
     * A label's barrier as wide as {@code widest} in the label's font, each 0 in it read as the font's widest digit:
     * for texts that only change digits, e.g. "c = 0.000".
     */
    static LayoutBarrier fitting(Label label, String widest) {
        return new LayoutBarrier(label, label, widest);
    }

    /** A barrier with {@code content}'s own preferred size, for a node whose size does not depend on what changes in it. */
    static LayoutBarrier around(Region content) {
        LayoutBarrier barrier = new LayoutBarrier(content, null, null);
        barrier.setMaxWidth(content.getMaxWidth());
        return barrier;
    }

    @Override
    protected double computeMinWidth(double height) {
        if (label == null) {
            return content.minWidth(height);
        }
        return widest == null ? 0 : computePrefWidth(height);
    }

    @Override
    protected double computePrefWidth(double height) {
        if (label == null) {
            return content.prefWidth(height);
        }
        if (widest == null) {
            return 0;
        }
        double width = 0;
        for (char digit = '0'; digit <= '9'; digit++) {
            width = Math.max(width, textBounds(widest.replace('0', digit)).getWidth());
        }
        // Rounded up, with a pixel to spare: the label must never need an ellipsis for a text of this width.
        return Math.ceil(width + label.snappedLeftInset() + label.snappedRightInset()) + 1;
    }

    @Override
    protected double computeMinHeight(double width) {
        return label == null ? content.minHeight(width) : computePrefHeight(width);
    }

    @Override
    protected double computePrefHeight(double width) {
        if (label == null) {
            return content.prefHeight(width);
        }
        // As many lines as asked, whatever the text (even none): the height depends on the font and padding only.
        // Measured as that many lines of text, line spacing included: a wrapped text must fit it exactly, or the skin would
        // fall back to one line with an ellipsis.
        return Math.ceil(textBounds(String.join("\n", java.util.Collections.nCopies(lines, "Ág"))).getHeight()
                + label.snappedTopInset() + label.snappedBottomInset()) + (lines > 1 ? 1 : 0);
    }

    @Override
    protected double computeMaxHeight(double width) {
        return label == null ? content.maxHeight(width) : computePrefHeight(width);
    }

    private Bounds textBounds(String sample) {
        Text text = new Text(sample);
        text.setFont(label.getFont());
        return text.getLayoutBounds();
    }

    @Override
    protected void layoutChildren() {
        content.resizeRelocate(0, 0, getWidth(), getHeight());
    }
}
