package io.svdwb.app;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ProjectionKind;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the layer tree's check boxes, the layer range slider and the "last k layers" action do to a selection.
 * A matrix's check box switches that one matrix (an exclusion, the command line's --exclude); a layer's box and
 * the slider switch whole layers with the selection's projections (--layers, --modules). Every edit leaves the
 * clicked box showing what was asked for.
 */
public final class SelectionEdits {

    private SelectionEdits() {
    }

    /**
     * Removes a layer that has a selected matrix (with its exclusions); otherwise adds it with every selected
     * projection, and when no projection is selected, every projection (so that checking a layer always selects
     * something in it).
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
        return new Selection(layers, modules, selection.excluded());
    }

    /**
     * Unchecking a selected matrix excludes it alone; checking one selects it alone: it is no longer excluded, or
     * its layer and projection are added with every other matrix that this would newly select excluded.
     */
    public static Selection toggleMatrix(Selection selection, MatrixSpec matrix) {
        Selection.Matrix target = Selection.Matrix.of(matrix);
        if (selection.includes(target)) {
            return selection.excluding(target, true);
        }
        if (selection.excluded().contains(target)) {
            return selection.excluding(target, false);
        }
        BitSet layers = selection.layers();
        layers.set(matrix.layer());
        Set<ProjectionKind> modules = EnumSet.of(matrix.kind());
        modules.addAll(selection.modules());
        Set<Selection.Matrix> excluded = new TreeSet<>();
        for (int layer = layers.nextSetBit(0); layer >= 0; layer = layers.nextSetBit(layer + 1)) {
            for (ProjectionKind kind : modules) {
                Selection.Matrix m = new Selection.Matrix(layer, kind);
                if (!m.equals(target) && !selection.includes(m)) {
                    excluded.add(m);
                }
            }
        }
        return new Selection(layers, modules, excluded);
    }

    /** Layers {@code from..to} (inclusive), the projections as they were and the exclusions inside those layers kept. */
    public static Selection layerRange(Selection selection, int from, int to) {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("no layer range " + from + ".." + to);
        }
        BitSet layers = new BitSet();
        layers.set(from, to + 1);
        return new Selection(layers, selection.modules(), selection.excluded());
    }

    /** ResSVD's partial-layer selection: the last {@code k} of {@code numLayers} layers (k clamped to 1..numLayers). */
    public static Selection lastLayers(Selection selection, int k, int numLayers) {
        int count = Math.max(1, Math.min(numLayers, k));
        return layerRange(selection, numLayers - count, numLayers - 1);
    }
}
