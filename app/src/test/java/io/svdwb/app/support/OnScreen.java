package io.svdwb.app.support;

import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;

/** Whether a node is where the user can reach it: shown (it and all its parents), and inside the window. Call on the FX thread. */
public final class OnScreen {

    private OnScreen() {
    }

    /** The node's bounds in its scene's coordinates. */
    public static Bounds inScene(Node node) {
        return node.localToScene(node.getLayoutBounds());
    }

    /** True if the node and each of its ancestors are visible. */
    public static boolean shown(Node node) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return node.getScene() != null;
    }

    /** True if the node's scene bounds lie within the scene (half a pixel of rounding allowed) and it has some size. */
    public static boolean insideWindow(Node node) {
        Scene scene = node.getScene();
        Bounds b = inScene(node);
        return b.getWidth() > 0 && b.getHeight() > 0 && b.getMinX() >= -0.5 && b.getMinY() >= -0.5
                && b.getMaxX() <= scene.getWidth() + 0.5 && b.getMaxY() <= scene.getHeight() + 0.5;
    }

    /**
     * True if the node's scene bounds lie within every clipping ancestor's viewport (a ScrollPane's viewport, a clip), so that
     * it is not hidden behind the edge of a scroll area either.
     */
    public static boolean notClipped(Node node) {
        Bounds b = inScene(node);
        for (Parent p = node.getParent(); p != null; p = p.getParent()) {
            if (p.getClip() != null) {
                Bounds clip = p.localToScene(p.getClip().getBoundsInParent());
                if (!contains(clip, b)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean contains(Bounds outer, Bounds inner) {
        return inner.getMinX() >= outer.getMinX() - 0.5 && inner.getMinY() >= outer.getMinY() - 0.5
                && inner.getMaxX() <= outer.getMaxX() + 0.5 && inner.getMaxY() <= outer.getMaxY() + 0.5;
    }

    /** Readable bounds for assertion messages. */
    public static String describe(Node node) {
        Bounds b = inScene(node);
        return node.getId() + " " + new BoundingBox(Math.round(b.getMinX()), Math.round(b.getMinY()), Math.round(b.getWidth()),
                Math.round(b.getHeight())) + " in " + node.getScene().getWidth() + "x" + node.getScene().getHeight();
    }
}
