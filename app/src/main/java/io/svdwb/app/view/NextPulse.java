package io.svdwb.app.view;

import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;

/**
 * Runs an action once, just before the next frame is laid out, however often it was asked for since the last frame:
 * a slider dragged fast moves several times a frame, and what only the frame shows (a chart drawn, a marker placed)
 * need not follow each move. Without a scene (not shown yet) the action runs at once. FX thread only.
 */
final class NextPulse {

    private final Node node;
    private final Runnable action;
    private boolean queued;

    /** {@code action} runs before the next layout of {@code node}'s scene. */
    NextPulse(Node node, Runnable action) {
        this.node = node;
        this.action = action;
    }

    void request() {
        Scene scene = node.getScene();
        if (scene == null) {
            action.run();
            return;
        }
        if (queued) {
            return;
        }
        queued = true;
        scene.addPreLayoutPulseListener(new Runnable() {
            @Override
            public void run() {
                scene.removePreLayoutPulseListener(this);
                queued = false;
                action.run();
            }
        });
        Platform.requestNextPulse();
    }
}
