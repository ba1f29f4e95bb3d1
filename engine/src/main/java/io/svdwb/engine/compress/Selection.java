package io.svdwb.engine.compress;

import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.model.ProjectionKind;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which decoder layers and which projection kinds are compressed: the command line's
 * {@code --layers 0-3,6} and {@code --modules q,k,v,o,gate,up,down}. The ratio applies to this set.
 */
public record Selection(BitSet layers, Set<ProjectionKind> modules) {

    public Selection {
        layers = (BitSet) layers.clone();
        modules = modules.isEmpty() ? EnumSet.noneOf(ProjectionKind.class) : EnumSet.copyOf(modules);
    }

    @Override
    public BitSet layers() {
        return (BitSet) layers.clone();
    }

    /** Every layer and every module of the model. */
    public static Selection all(ModelConfig config) {
        BitSet layers = new BitSet();
        layers.set(0, config.numLayers());
        return new Selection(layers, EnumSet.allOf(ProjectionKind.class));
    }

    /**
     * Parses the command-line forms; {@code null} or blank means "all". Layers are comma-separated
     * indices or inclusive ranges {@code a-b}; modules are short names.
     */
    public static Selection parse(String layerSpec, String moduleSpec, ModelConfig config) {
        BitSet layers = new BitSet();
        if (layerSpec == null || layerSpec.isBlank()) {
            layers.set(0, config.numLayers());
        } else {
            for (String part : layerSpec.split(",")) {
                addLayers(layers, part.trim(), config.numLayers());
            }
        }
        Set<ProjectionKind> modules = EnumSet.noneOf(ProjectionKind.class);
        if (moduleSpec == null || moduleSpec.isBlank()) {
            modules.addAll(EnumSet.allOf(ProjectionKind.class));
        } else {
            for (String name : moduleSpec.split(",")) {
                modules.add(ProjectionKind.parse(name));
            }
        }
        return new Selection(layers, modules);
    }

    private static void addLayers(BitSet layers, String part, int numLayers) {
        String[] ends = part.split("-", -1);
        if (part.isEmpty() || ends.length > 2) {
            throw new IllegalArgumentException("layer selection '" + part + "' is not an index or a range a-b");
        }
        int from = layerIndex(ends[0], part, numLayers);
        int to = ends.length == 2 ? layerIndex(ends[1], part, numLayers) : from;
        if (to < from) {
            throw new IllegalArgumentException("layer range '" + part + "' ends before it starts");
        }
        layers.set(from, to + 1);
    }

    private static int layerIndex(String text, String part, int numLayers) {
        int index;
        try {
            index = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("layer selection '" + part + "' is not an index or a range a-b");
        }
        if (index < 0 || index >= numLayers) {
            throw new IllegalArgumentException("layer " + index + " is out of range: the model has layers 0-" + (numLayers - 1));
        }
        return index;
    }

    public boolean includes(MatrixSpec matrix) {
        return layers.get(matrix.layer()) && modules.contains(matrix.kind());
    }

    public List<MatrixSpec> filter(List<MatrixSpec> matrices) {
        List<MatrixSpec> out = new ArrayList<>();
        for (MatrixSpec m : matrices) {
            if (includes(m)) {
                out.add(m);
            }
        }
        return out;
    }

    /** The canonical text form, e.g. "layers 0-3,6; modules q,k,v". */
    public String describe() {
        return ("layers " + layerSpec() + "; modules " + moduleSpec()).toLowerCase(Locale.ROOT);
    }

    /** The command line's {@code --layers} form of the selected layers, e.g. "0-3,6" (empty when none is). */
    public String layerSpec() {
        StringBuilder s = new StringBuilder();
        int i = layers.nextSetBit(0);
        while (i >= 0) {
            int end = layers.nextClearBit(i) - 1;
            s.append(s.isEmpty() ? "" : ",").append(i == end ? Integer.toString(i) : i + "-" + end);
            i = layers.nextSetBit(end + 1);
        }
        return s.toString();
    }

    /** The command line's {@code --modules} form, in projection order, e.g. "q,k,v,gate". */
    public String moduleSpec() {
        return String.join(",", modules.stream().map(ProjectionKind::shortName).toList());
    }
}
