package io.svdwb.engine.model;

import io.svdwb.engine.safetensors.CheckpointFiles;
import io.svdwb.engine.safetensors.TensorInfo;
import io.svdwb.engine.safetensors.TensorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An opened Hugging Face model folder: its config and its memory-mapped weights, checked against each
 * other (every required tensor present with the shape the config implies, no unexpected tensors).
 * Weights stay on disk until a layer asks for them.
 */
public final class Checkpoint implements AutoCloseable {

    public static final String EMBED = "model.embed_tokens.weight";
    public static final String FINAL_NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";

    private final Path dir;
    private final ModelConfig config;
    private final TensorStore store;
    private final Map<String, Integer> factoredRanks;
    private final Map<String, List<Integer>> keptColumns;
    private final Set<String> int8Modules;

    private Checkpoint(Path dir, ModelConfig config, TensorStore store, Map<String, Integer> factoredRanks,
                       Map<String, List<Integer>> keptColumns, Set<String> int8Modules) {
        this.dir = dir;
        this.config = config;
        this.store = store;
        this.factoredRanks = factoredRanks;
        this.keptColumns = keptColumns;
        this.int8Modules = int8Modules;
    }

    public static Checkpoint open(Path dir) throws IOException {
        return open(dir, Map.of(), Map.of(), Set.of());
    }

    /**
     * Opens a folder in which the modules of {@code factoredRanks} (module name, e.g.
     * {@code model.layers.3.self_attn.q_proj}, to rank r) are stored as the two factors of
     * {@link FactoredTensorNames} instead of a dense weight. Every other check stays as in {@link #open(Path)}:
     * the factors must have exactly the shapes the config and the rank imply, and nothing else may be there.
     */
    public static Checkpoint openFactored(Path dir, Map<String, Integer> factoredRanks) throws IOException {
        return openFactored(dir, factoredRanks, Map.of());
    }

    /**
     * As {@link #openFactored(Path, Map)}, with the modules of {@code keptColumns} stored column-preserving
     * (Duo-SVD, docs/METHODS.md §4.6): A [out, r], B [r, in - q] and C [out, q] ({@link FactoredTensorNames#cWeight}),
     * where the q kept input columns are listed strictly ascending. Every such module needs a rank in
     * {@code factoredRanks}.
     */
    public static Checkpoint openFactored(Path dir, Map<String, Integer> factoredRanks, Map<String, List<Integer>> keptColumns)
            throws IOException {
        return openFactored(dir, factoredRanks, keptColumns, Set.of());
    }

    /**
     * As {@link #openFactored(Path, Map, Map)}, with the modules of {@code int8Modules} stored as int8 factors
     * (docs/METHODS.md §2.6): A and B as I8 codes of the same shapes, plus the F32 row scales of
     * {@link FactoredTensorNames#aScale} [out] and {@link FactoredTensorNames#bScale} [r]. Every such module needs a rank
     * and must not be column-preserving.
     */
    public static Checkpoint openFactored(Path dir, Map<String, Integer> factoredRanks, Map<String, List<Integer>> keptColumns,
                                          Set<String> int8Modules) throws IOException {
        Map<String, List<Integer>> kept = new LinkedHashMap<>();
        keptColumns.forEach((module, columns) -> kept.put(module, List.copyOf(columns)));
        return open(dir, Map.copyOf(factoredRanks), java.util.Collections.unmodifiableMap(kept),
                java.util.Collections.unmodifiableSet(new TreeSet<>(int8Modules)));
    }

    private static Checkpoint open(Path dir, Map<String, Integer> factoredRanks, Map<String, List<Integer>> keptColumns,
                                   Set<String> int8Modules) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ModelConfigException(dir + ": not a folder (expected a Hugging Face model folder with config.json and *.safetensors)");
        }
        ModelConfig config = ModelConfig.read(dir);
        TensorStore store = CheckpointFiles.open(dir);
        try {
            validate(dir, config, store, factoredRanks, keptColumns, int8Modules);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        return new Checkpoint(dir, config, store, factoredRanks, keptColumns, int8Modules);
    }

    /** The tensors the config requires, with their shapes, in a stable order. */
    public static Map<String, long[]> expectedTensors(ModelConfig c, boolean withLmHead) {
        return expectedTensors(c, withLmHead, Map.of());
    }

    /**
     * As {@link #expectedTensors(ModelConfig, boolean)}, with the modules of {@code factoredRanks} stored as
     * A [out, r] (+ bias [out]) and B [r, in] instead of weight [out, in] (+ bias). Refuses names that are
     * not projections of this config and ranks below 1.
     */
    public static Map<String, long[]> expectedTensors(ModelConfig c, boolean withLmHead, Map<String, Integer> factoredRanks) {
        return expectedTensors(c, withLmHead, factoredRanks, Map.of());
    }

    /**
     * As {@link #expectedTensors(ModelConfig, boolean, Map)}, with the modules of {@code keptColumns} stored
     * as A [out, r], B [r, in - q] and C [out, q]. Refuses kept-column lists that are empty, not strictly
     * ascending, out of range, that leave no column to B, or whose module has no rank.
     */
    public static Map<String, long[]> expectedTensors(ModelConfig c, boolean withLmHead, Map<String, Integer> factoredRanks,
                                                      Map<String, List<Integer>> keptColumns) {
        return expectedTensors(c, withLmHead, factoredRanks, keptColumns, Set.of());
    }

    /**
     * As {@link #expectedTensors(ModelConfig, boolean, Map, Map)}, with the row scales of the int8 modules
     * (A's [out], B's [r]) after their factors.
     */
    public static Map<String, long[]> expectedTensors(ModelConfig c, boolean withLmHead, Map<String, Integer> factoredRanks,
                                                      Map<String, List<Integer>> keptColumns, Set<String> int8Modules) {
        checkFactoredModules(c, factoredRanks);
        Int8Factors.checkModules(factoredRanks, keptColumns, int8Modules);
        checkKeptColumns(c, factoredRanks, keptColumns);
        Map<String, long[]> expected = new LinkedHashMap<>();
        expected.put(EMBED, new long[] {c.vocabSize(), c.hiddenSize()});
        for (int layer = 0; layer < c.numLayers(); layer++) {
            String prefix = "model.layers." + layer + ".";
            expected.put(prefix + "input_layernorm.weight", new long[] {c.hiddenSize()});
            for (ProjectionKind kind : ProjectionKind.values()) {
                String module = kind.moduleName(layer);
                Integer rank = factoredRanks.get(module);
                int q = keptColumns.containsKey(module) ? keptColumns.get(module).size() : 0;
                if (rank == null) {
                    expected.put(kind.weightName(layer), new long[] {kind.outFeatures(c), kind.inFeatures(c)});
                } else {
                    expected.put(FactoredTensorNames.aWeight(module), new long[] {kind.outFeatures(c), rank});
                    expected.put(FactoredTensorNames.bWeight(module), new long[] {rank, kind.inFeatures(c) - q});
                    if (q > 0) {
                        expected.put(FactoredTensorNames.cWeight(module), new long[] {kind.outFeatures(c), q});
                    }
                    if (int8Modules.contains(module)) {
                        expected.put(FactoredTensorNames.aScale(module), new long[] {kind.outFeatures(c)});
                        expected.put(FactoredTensorNames.bScale(module), new long[] {rank});
                    }
                }
                if (kind.hasBias(c)) {
                    expected.put(rank == null ? kind.biasName(layer) : FactoredTensorNames.aBias(module), new long[] {kind.outFeatures(c)});
                }
                if (kind == ProjectionKind.O) {
                    if (c.hasQueryKeyNorm()) {
                        expected.put(queryNormName(layer), new long[] {c.headDim()});
                        expected.put(keyNormName(layer), new long[] {c.headDim()});
                    }
                    expected.put(prefix + "post_attention_layernorm.weight", new long[] {c.hiddenSize()});
                }
            }
        }
        expected.put(FINAL_NORM, new long[] {c.hiddenSize()});
        if (withLmHead) {
            expected.put(LM_HEAD, new long[] {c.vocabSize(), c.hiddenSize()});
        }
        return expected;
    }

    /** Qwen3's per-head RMSNorm weight on q of a layer. */
    public static String queryNormName(int layer) {
        return "model.layers." + layer + ".self_attn.q_norm.weight";
    }

    /** Qwen3's per-head RMSNorm weight on k of a layer. */
    public static String keyNormName(int layer) {
        return "model.layers." + layer + ".self_attn.k_norm.weight";
    }

    private static void checkFactoredModules(ModelConfig c, Map<String, Integer> factoredRanks) {
        Set<String> projections = new TreeSet<>();
        for (int layer = 0; layer < c.numLayers(); layer++) {
            for (ProjectionKind kind : ProjectionKind.values()) {
                projections.add(kind.moduleName(layer));
            }
        }
        for (Map.Entry<String, Integer> e : factoredRanks.entrySet()) {
            if (!projections.contains(e.getKey())) {
                throw new IllegalArgumentException("'" + e.getKey() + "' is not a projection of this model (expected e.g. "
                        + ProjectionKind.Q.moduleName(0) + ", layers 0.." + (c.numLayers() - 1) + ")");
            }
            if (e.getValue() == null || e.getValue() < 1) {
                throw new IllegalArgumentException("rank of " + e.getKey() + " must be at least 1, got " + e.getValue());
            }
        }
    }

    /** Each kept-column list: a factored module's, non-empty, strictly ascending in [0, in), leaving B a column. */
    private static void checkKeptColumns(ModelConfig c, Map<String, Integer> factoredRanks, Map<String, List<Integer>> keptColumns) {
        for (Map.Entry<String, List<Integer>> e : keptColumns.entrySet()) {
            String module = e.getKey();
            if (!factoredRanks.containsKey(module)) {
                throw new IllegalArgumentException("kept columns are listed for " + module + ", which has no rank (not a factored module)");
            }
            ProjectionKind kind = kindOf(c, module);
            int in = kind.inFeatures(c);
            List<Integer> columns = e.getValue();
            if (columns.isEmpty() || columns.size() >= in) {
                throw new IllegalArgumentException("kept columns of " + module + ": need 1 to " + (in - 1) + " of its " + in
                        + " input columns, got " + columns.size());
            }
            for (int i = 0; i < columns.size(); i++) {
                Integer col = columns.get(i);
                if (col == null || col < 0 || col >= in) {
                    throw new IllegalArgumentException("kept columns of " + module + ": index " + col + " is outside [0, " + in + ")");
                }
                if (i > 0 && col <= columns.get(i - 1)) {
                    throw new IllegalArgumentException("kept columns of " + module + " must be strictly ascending (sorted, no repeats), got "
                            + columns.get(i - 1) + " before " + col);
                }
            }
        }
    }

    /** The kind of a module name already checked to be a projection of {@code c}. */
    private static ProjectionKind kindOf(ModelConfig c, String module) {
        for (ProjectionKind kind : ProjectionKind.values()) {
            if (module.endsWith("." + kind.modulePath())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("'" + module + "' is not a projection of this model");
    }

    private static void validate(Path dir, ModelConfig c, TensorStore store, Map<String, Integer> factoredRanks,
                                 Map<String, List<Integer>> keptColumns, Set<String> int8Modules) throws ModelConfigException {
        checkPlausibleSizes(dir, c, store);
        boolean hasLmHead = store.contains(LM_HEAD);
        if (!hasLmHead && !c.tieWordEmbeddings()) {
            throw new ModelConfigException(dir + ": missing tensor " + LM_HEAD + " and tie_word_embeddings is false");
        }
        Map<String, long[]> expected;
        try {
            expected = expectedTensors(c, hasLmHead, factoredRanks, keptColumns, int8Modules);
        } catch (IllegalArgumentException e) {
            throw new ModelConfigException(dir + ": " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            if (!store.contains(e.getKey())) {
                problems.add("missing tensor " + e.getKey());
                continue;
            }
            TensorInfo info = store.info(e.getKey());
            if (!Arrays.equals(info.shape(), e.getValue())) {
                problems.add("size mismatch for " + e.getKey() + ": the checkpoint has shape " + info.shapeString()
                        + ", the config implies " + Arrays.toString(e.getValue()));
            }
        }
        Set<String> unexpected = new TreeSet<>();
        for (String name : store.names()) {
            if (!expected.containsKey(name) && !name.endsWith("rotary_emb.inv_freq")) {
                unexpected.add(name);
            }
        }
        if (!unexpected.isEmpty()) {
            problems.add("unexpected tensors " + unexpected);
        }
        problems.addAll(Int8Factors.dtypeProblems(store, int8Modules));
        if (!problems.isEmpty()) {
            String shown = String.join("; ", problems.subList(0, Math.min(problems.size(), MAX_PROBLEMS_SHOWN)));
            throw new ModelConfigException(dir + ": the weights do not match config.json: " + shown
                    + (problems.size() > MAX_PROBLEMS_SHOWN ? "; and " + (problems.size() - MAX_PROBLEMS_SHOWN) + " more" : ""));
        }
    }

    private static final int MAX_PROBLEMS_SHOWN = 8;

    /**
     * The config's layer count and embedding size against what the safetensors headers hold, before
     * anything sized by the config is built: a num_hidden_layers of 2^31 - 1 would otherwise make the list of
     * expected tensors exhaust memory, and 100,000 would make a message listing every missing tensor.
     */
    private static void checkPlausibleSizes(Path dir, ModelConfig c, TensorStore store) throws ModelConfigException {
        Set<Integer> layers = new TreeSet<>();
        for (String name : store.names()) {
            if (name.startsWith("model.layers.")) {
                int end = name.indexOf('.', "model.layers.".length());
                try {
                    layers.add(Integer.parseInt(name.substring("model.layers.".length(), end < 0 ? name.length() : end)));
                } catch (NumberFormatException e) {
                    throw new ModelConfigException(dir + ": tensor " + name + " has no layer number");
                }
            }
        }
        if (layers.size() != c.numLayers()) {
            throw new ModelConfigException(dir + "/config.json: num_hidden_layers is " + c.numLayers() + ", but the weights hold "
                    + layers.size() + " decoder layers");
        }
        if (store.contains(EMBED)) {
            long[] shape = store.info(EMBED).shape();
            if (!Arrays.equals(shape, new long[] {c.vocabSize(), c.hiddenSize()})) {
                throw new ModelConfigException(dir + "/config.json: vocab_size " + c.vocabSize() + " x hidden_size " + c.hiddenSize()
                        + " does not match " + EMBED + " of shape " + store.info(EMBED).shapeString());
            }
        }
    }

    public Path dir() {
        return dir;
    }

    public ModelConfig config() {
        return config;
    }

    public TensorStore store() {
        return store;
    }

    /** Modules stored as A/B factors ({@link #openFactored}), with their ranks; empty for a dense checkpoint. */
    public Map<String, Integer> factoredRanks() {
        return factoredRanks;
    }

    /**
     * Column-preserving modules (Duo-SVD) with their kept input columns, ascending; a subset of
     * {@link #factoredRanks()}'s modules, empty for a dense checkpoint.
     */
    public Map<String, List<Integer>> keptColumns() {
        return keptColumns;
    }

    /** Modules whose factors are stored as int8 codes with row scales (docs/METHODS.md §2.6); empty when none. */
    public Set<String> int8Modules() {
        return int8Modules;
    }

    /** The name under which the output projection is stored ({@code lm_head.weight}, or the embedding when tied). */
    public String lmHeadTensor() {
        return store.contains(LM_HEAD) ? LM_HEAD : EMBED;
    }

    /** Every compressible matrix, layer by layer, in {@link ProjectionKind} order. */
    public List<MatrixSpec> matrices() {
        return MatrixSpec.all(config);
    }

    /** Parameters in the compressible matrices: the sum over {@link #matrices()}. */
    public long compressibleParameters() {
        long total = 0;
        for (MatrixSpec spec : matrices()) {
            total += spec.parameters();
        }
        return total;
    }

    /**
     * All parameters of the model as Hugging Face counts them: every stored tensor once, with a tied
     * lm_head counted once (as the embedding).
     */
    public long totalParameters() {
        long total = 0;
        for (String name : store.names()) {
            if (name.equals(LM_HEAD) && config.tieWordEmbeddings()) {
                continue;
            }
            total += store.info(name).elementCount();
        }
        return total;
    }

    @Override
    public void close() throws IOException {
        store.close();
    }
}
