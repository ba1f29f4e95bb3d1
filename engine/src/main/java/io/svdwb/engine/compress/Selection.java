package io.svdwb.engine.compress;

import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.model.ProjectionKind;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which matrices are compressed: decoder layers times projection kinds, less single excluded matrices, i.e. the
 * command line's {@code --layers 0-3,6 --modules q,k,v,o,gate,up,down --exclude 3.q}. The ratio applies to this
 * set, and {@link #includes} is the one test every method, plan and search asks.
 *
 * <p>The constructor keeps one form per set of matrices (for a given {@code modules}): an exclusion outside
 * layers x modules is dropped (it excludes nothing), and a layer whose every selected projection is excluded is
 * dropped with its exclusions (it holds no selected matrix, as an unselected layer).
 */
public record Selection(BitSet layers, Set<ProjectionKind> modules, Set<Matrix> excluded) {

    /** One matrix by position, written {@code layer.kind} on the command line, e.g. {@code 3.q}. */
    public record Matrix(int layer, ProjectionKind kind) implements Comparable<Matrix> {

        private static final Comparator<Matrix> ORDER = Comparator.comparingInt(Matrix::layer).thenComparing(Matrix::kind);

        public static Matrix of(MatrixSpec matrix) {
            return new Matrix(matrix.layer(), matrix.kind());
        }

        /** Reads the command line's form {@code layer.kind}, e.g. "3.q"; the layer is checked against a model elsewhere. */
        public static Matrix parse(String spec) {
            int dot = spec.indexOf('.');
            int layer = -1;
            if (dot > 0 && dot < spec.length() - 1) {
                try {
                    layer = Integer.parseInt(spec.substring(0, dot).trim());
                } catch (NumberFormatException e) {
                    layer = -1;
                }
            }
            if (layer < 0) {
                throw new IllegalArgumentException("exclusion '" + spec + "' is not layer.projection, e.g. 3.q");
            }
            try {
                return new Matrix(layer, ProjectionKind.parse(spec.substring(dot + 1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("exclusion '" + spec + "': " + e.getMessage());
            }
        }

        /** The command line's form, e.g. "3.q". */
        public String spec() {
            return layer + "." + kind.shortName();
        }

        @Override
        public int compareTo(Matrix other) {
            return ORDER.compare(this, other);
        }
    }

    public Selection {
        layers = (BitSet) layers.clone();
        modules = modules.isEmpty() ? EnumSet.noneOf(ProjectionKind.class) : EnumSet.copyOf(modules);
        TreeSet<Matrix> kept = new TreeSet<>();
        for (Matrix m : excluded) {
            if (layers.get(m.layer()) && modules.contains(m.kind())) {
                kept.add(m);
            }
        }
        if (!kept.isEmpty()) {
            for (int layer = layers.nextSetBit(0); layer >= 0; layer = layers.nextSetBit(layer + 1)) {
                Set<Matrix> inLayer = kept.subSet(new Matrix(layer, ProjectionKind.values()[0]), true,
                        new Matrix(layer, ProjectionKind.values()[ProjectionKind.values().length - 1]), true);
                if (inLayer.size() == modules.size()) {
                    inLayer.clear();
                    layers.clear(layer);
                }
            }
        }
        excluded = Collections.unmodifiableSortedSet(kept);
    }

    /** Layers x modules with nothing excluded. */
    public Selection(BitSet layers, Set<ProjectionKind> modules) {
        this(layers, modules, Set.of());
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

    /** {@link #parse(String, String, String, ModelConfig)} with nothing excluded. */
    public static Selection parse(String layerSpec, String moduleSpec, ModelConfig config) {
        return parse(layerSpec, moduleSpec, null, config);
    }

    /**
     * Parses the command-line forms; {@code null} or blank layers or modules mean "all", and {@code null} or blank
     * exclusions "none". Layers are comma-separated indices or inclusive ranges {@code a-b}; modules are short
     * names; exclusions are {@code layer.kind}, each naming a matrix that layers x modules holds (anything else is
     * refused, since excluding what is not selected would be a mistake that changes nothing).
     */
    public static Selection parse(String layerSpec, String moduleSpec, String excludeSpec, ModelConfig config) {
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
        Selection product = new Selection(layers, modules);
        Set<Matrix> excluded = new TreeSet<>();
        if (excludeSpec != null && !excludeSpec.isBlank()) {
            for (String part : excludeSpec.split(",")) {
                Matrix m = exclusion(part.trim(), config.numLayers());
                if (!product.layers.get(m.layer()) || !product.modules.contains(m.kind())) {
                    throw new IllegalArgumentException("cannot exclude " + m.spec() + ": it is not selected ("
                            + product.describe() + ")");
                }
                excluded.add(m);
            }
        }
        return new Selection(layers, modules, excluded);
    }

    private static Matrix exclusion(String part, int numLayers) {
        Matrix m = Matrix.parse(part);
        if (m.layer() >= numLayers) {
            throw new IllegalArgumentException("layer " + m.layer() + " of exclusion '" + part + "' is out of range: the model has layers 0-"
                    + (numLayers - 1));
        }
        return m;
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
        return includes(Matrix.of(matrix));
    }

    public boolean includes(Matrix matrix) {
        return layers.get(matrix.layer()) && modules.contains(matrix.kind()) && !excluded.contains(matrix);
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

    /** The same layers and modules with {@code matrix} excluded (if included) or no longer excluded. */
    public Selection excluding(Matrix matrix, boolean exclude) {
        Set<Matrix> now = new TreeSet<>(excluded);
        if (exclude) {
            now.add(matrix);
        } else {
            now.remove(matrix);
        }
        return new Selection(layers, modules, now);
    }

    /** The canonical text form, e.g. "layers 0-3,6; modules q,k,v" or "layers 0-4; modules q,k; excluding 3.q". */
    public String describe() {
        return ("layers " + layerSpec() + "; modules " + moduleSpec() + (excluded.isEmpty() ? "" : "; excluding " + excludeSpec()))
                .toLowerCase(Locale.ROOT);
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

    /** The command line's {@code --exclude} form, by layer then projection, e.g. "3.q,4.down" (empty when none is). */
    public String excludeSpec() {
        return String.join(",", excluded.stream().map(Matrix::spec).toList());
    }
}
