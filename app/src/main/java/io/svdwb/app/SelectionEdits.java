package io.svdwb.app;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ProjectionKind;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.Set;

/**
 * What the layer tree's check boxes, the layer range slider and the "last k layers" action do to a selection.
 * The engine selects layers times projections (the command line's --layers and --modules), not single
 * matrices, so a matrix's check box switches its projection, and checking a matrix of an unselected layer adds
 * that layer too: every edit leaves the clicked box showing what was asked for.
 */
public final class SelectionEdits {

    private SelectionEdits() {
    }

    /**
     * Removes a layer that has a selected matrix; otherwise adds it, and when no projection is selected, every
     * projection with it (so that checking a layer always selects something in it).
     */
    public static Selection toggleLayer(Selection selection, int layer) {
        BitSet layers = selection.layers();
        Set<ProjectionKind> modules = selection.modules();
        if (layers.get(layer) && !modules.isEmpty()) {
            layers.clear(layer);
        } else {
            layers.set(layer);
            if (modules.isEmpty()) {
                modules = EnumSet.allOf(ProjectionKind.class);
            }
        }
        return new Selection(layers, modules);
    }

    /** Unchecking a selected matrix drops its projection from every layer; checking one adds its projection and its layer. */
    public static Selection toggleMatrix(Selection selection, MatrixSpec matrix) {
        BitSet layers = selection.layers();
        Set<ProjectionKind> modules = EnumSet.noneOf(ProjectionKind.class);
        modules.addAll(selection.modules());
        if (selection.includes(matrix)) {
            modules.remove(matrix.kind());
        } else {
            modules.add(matrix.kind());
            layers.set(matrix.layer());
        }
        return new Selection(layers, modules);
    }

    /** Layers {@code from..to} (inclusive), the projections as they were. */
    public static Selection layerRange(Selection selection, int from, int to) {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("no layer range " + from + ".." + to);
        }
        BitSet layers = new BitSet();
        layers.set(from, to + 1);
        return new Selection(layers, selection.modules());
    }

    /** ResSVD's partial-layer selection: the last {@code k} of {@code numLayers} layers (k clamped to 1..numLayers). */
    public static Selection lastLayers(Selection selection, int k, int numLayers) {
        int count = Math.max(1, Math.min(numLayers, k));
        return layerRange(selection, numLayers - count, numLayers - 1);
    }
}
