package io.svdwb.engine.compress.method;

import io.svdwb.engine.calibration.Calibration;
import io.svdwb.engine.calibration.CalibrationCacheKey;
import io.svdwb.engine.calibration.CalibrationResult;
import io.svdwb.engine.calibration.CalibrationSampler;
import io.svdwb.engine.calibration.CalibrationSettings;
import io.svdwb.engine.calibration.CalibrationWindows;
import io.svdwb.engine.calibration.InputStatistics;
import io.svdwb.engine.calibration.LayerStatistics;
import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.Whitening;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ModelConfigException;
import io.svdwb.engine.model.ProjectionInput;
import io.svdwb.engine.model.TextTokenizer;
import io.svdwb.engine.progress.ProgressListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything methods share for one model and one calibration setup, computed at most once: the checkpoint,
 * a model to read weights from and probe with, the calibration statistics (run lazily, from the disk cache
 * when present), the whitening factors, and the {@link DecompositionCache}. A sweep or the workbench keeps one
 * context, so every method and ratio reuses the same calibration and decompositions. Thread-safe.
 */
public final class CompressionContext implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompressionContext.class);
    /**
     * Layers whose statistics and whitening factors stay in memory: methods walk layers in order, and at LLaMA-7B widths
     * one layer's Gram matrices and whitening factors are 2.7 GB in double, so only the current one is kept.
     */
    private static final int RESIDENT_LAYERS = 1;

    private final Path modelDir;
    private final Path calibrationText;
    private final CalibrationSettings calibrationSettings;
    private final Calibration calibration;
    private final Checkpoint checkpoint;
    private final LlamaModel model;
    private final LinearAlgebra linalg;
    private final DecompositionCache decompositions;
    private final List<String> notes = new ArrayList<>();
    private final LinkedHashMap<Integer, LayerStatistics> statistics = new LinkedHashMap<>(4, 0.75f, true);
    private final Map<String, Whitening.Result> whitening = new HashMap<>();
    private final Map<String, Object> memo = new HashMap<>();
    private CalibrationResult calibrationResult;
    private String modelDescription;
    private TextTokenizer tokenizer;

    /**
     * @param calibrationText the text calibration samples come from (checked here, read only when a method needs it)
     */
    public CompressionContext(Path modelDir, Path calibrationText, CalibrationSettings calibrationSettings,
            Calibration calibration, LinearAlgebra linalg, DecompositionCache decompositions)
            throws IOException, ModelConfigException {
        this.modelDir = modelDir;
        this.calibrationText = calibrationText;
        this.calibrationSettings = calibrationSettings;
        this.calibration = calibration;
        this.linalg = linalg;
        this.decompositions = decompositions;
        if (calibrationText != null) {
            // checked before the model is loaded: "no such file", "is a folder" or "not readable", naming the file
            io.svdwb.engine.files.ReadableFiles.requireReadable(calibrationText, "a calibration text file");
        }
        // A factored export opens too (its projections read as the products of their factors), so that the workbench
        // can show its spectra; a folder without truncation_ranks opens as the dense checkpoint it is.
        this.checkpoint = io.svdwb.engine.export.FactoredCheckpoint.open(modelDir);
        this.model = new LlamaModel(checkpoint, linalg, LlamaModel.Residency.KEEP);
    }

    public Path modelDir() {
        return modelDir;
    }

    public Path calibrationText() {
        return calibrationText;
    }

    public CalibrationSettings calibrationSettings() {
        return calibrationSettings;
    }

    /** The calibration window length L resolved for this model (min(2048, context) unless set). */
    public int calibrationLength() {
        return calibrationSettings.windowLengthFor(checkpoint.config());
    }

    public Checkpoint checkpoint() {
        return checkpoint;
    }

    /** The uncompressed model; probes install and remove replacements on it, so use it from one task at a time. */
    public LlamaModel model() {
        return model;
    }

    public LinearAlgebra linearAlgebra() {
        return linalg;
    }

    public DecompositionCache decompositions() {
        return decompositions;
    }

    /** The original bias [out] of a matrix, or null; reads only the bias, not the weight. */
    public org.nd4j.linalg.api.ndarray.INDArray bias(MatrixSpec matrix) {
        try {
            return model.loadBias(matrix.layer(), matrix.kind());
        } catch (IOException e) {
            throw new UncheckedIOException("reading the bias of " + matrix.tensorName(), e);
        }
    }

    /** The original weight [out, in] (float), read from the checkpoint. */
    public org.nd4j.linalg.api.ndarray.INDArray weight(MatrixSpec matrix) {
        try {
            return model.loadDense(matrix.layer(), matrix.kind()).weight();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + matrix.tensorName(), e);
        }
    }

    /**
     * The cached full-rank decomposition of {@code matrix} by {@code recipe}, computing it the first time. A stored
     * copy is identified by the calibration key for recipes that use calibration statistics (it covers the model
     * files, the text and the settings), and by the model files alone otherwise.
     */
    public LowRankDecomposition decomposition(DecompositionRecipe recipe, MatrixSpec matrix, ProgressListener progress) {
        return decompositions.get(recipe, matrix, () -> recipe.usesCalibration()
                ? "calibration.sha256=" + calibration(progress).key().hash() + "\n" : modelDescription(),
                () -> recipe.decompose(this, matrix, progress));
    }

    /** The model part of the cache keys ({@link CalibrationCacheKey#modelDescription}), hashed once per context. */
    private synchronized String modelDescription() {
        if (modelDescription == null) {
            try {
                modelDescription = CalibrationCacheKey.modelDescription(modelDir);
            } catch (IOException e) {
                throw new UncheckedIOException("identifying the model files of " + modelDir, e);
            }
        }
        return modelDescription;
    }

    /**
     * This context's calibration: the one already run (whatever layers it covers: its key and origin are the same), or
     * else, run now or loaded from the disk cache, that of every layer.
     */
    public synchronized CalibrationResult calibration(ProgressListener progress) {
        return calibrationResult != null ? calibrationResult : calibration(progress, checkpoint.config().numLayers());
    }

    /**
     * The calibration statistics of at least the first {@code layersNeeded} layers: a compression of early layers only
     * runs the model that far (on a 7B model, minutes instead of an hour); a later request for more layers resumes.
     */
    public synchronized CalibrationResult calibration(ProgressListener progress, int layersNeeded) {
        if (calibrationResult == null || calibrationResult.layerCount() < Math.min(layersNeeded, checkpoint.config().numLayers())) {
            if (calibrationText == null) {
                throw new IllegalStateException("this method needs calibration data; give a calibration text file");
            }
            try {
                calibrationResult = calibration.run(modelDir, calibrationText, calibrationSettings, layersNeeded, progress);
            } catch (IOException e) {
                throw new UncheckedIOException("calibrating on " + calibrationText, e);
            }
        }
        return calibrationResult;
    }

    /** The calibration statistics of what {@code matrix} reads. */
    public synchronized InputStatistics statistics(MatrixSpec matrix, ProgressListener progress) {
        return layerStatistics(matrix.layer(), progress).of(matrix.kind());
    }

    private LayerStatistics layerStatistics(int layer, ProgressListener progress) {
        LayerStatistics cached = statistics.get(layer);
        if (cached != null) {
            return cached;
        }
        try {
            LayerStatistics loaded = calibration(progress, layer + 1).layer(layer);
            statistics.put(layer, loaded);
            while (statistics.size() > RESIDENT_LAYERS) {
                int eldest = statistics.keySet().iterator().next();
                // both were read or computed for this context alone: free their off-heap memory now, not at some
                // garbage collection that the heap, seeing a few bytes per array, would not ask for (docs/STACK.md)
                statistics.remove(eldest).release();
                whitening.entrySet().removeIf(e -> {
                    boolean evicted = e.getKey().startsWith(eldest + "/");
                    if (evicted) {
                        if (!e.getValue().factor().wasClosed()) {
                            e.getValue().factor().close();
                        }
                    }
                    return evicted;
                });
            }
            return loaded;
        } catch (IOException e) {
            throw new UncheckedIOException("reading calibration statistics of layer " + layer, e);
        }
    }

    /** The whitening factor of {@code matrix}'s input (shared by q, k and v, and by gate and up); fallbacks become notes. */
    public synchronized Whitening.Result whitening(MatrixSpec matrix, Whitening.Options options, ProgressListener progress) {
        ProjectionInput input = ProjectionInput.of(matrix.kind());
        String key = matrix.layer() + "/" + input + "/" + options;
        Whitening.Result cached = whitening.get(key);
        if (cached != null) {
            return cached;
        }
        InputStatistics stats = statistics(matrix, progress);
        String label = "L" + matrix.layer() + " " + input.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        Whitening.Result result = Whitening.factor(linalg, stats.gram(), label, options);
        if (result.usedFallback()) {
            note(String.format(java.util.Locale.ROOT, "%s: Cholesky of H failed at minor %d; used %s with shift %.3g x mean(diag H)",
                    label, result.failedMinor(), result.path(), result.relativeShift()));
        }
        whitening.put(key, result);
        return result;
    }

    /** Windows for probing (calibration perplexity, KL): drawn with their own count and seed from the calibration text. */
    public synchronized CalibrationWindows probeWindows(int samples, int length, long seed) {
        try {
            if (tokenizer == null) {
                tokenizer = TextTokenizer.open(modelDir);
            }
            if (calibrationText == null) {
                throw new IllegalStateException("probing needs calibration data; give a calibration text file");
            }
            return new CalibrationSampler(tokenizer).sample(calibrationText, samples, length, seed);
        } catch (IOException e) {
            throw new UncheckedIOException("sampling probe windows from " + calibrationText, e);
        }
    }

    /**
     * A value computed once per context under {@code key} (a search's sensitivity table, a probe), so a sweep
     * or a slider pays for it only the first time. The key must name everything the value depends on.
     */
    @SuppressWarnings("unchecked")
    public <T> T memo(String key, java.util.function.Supplier<T> compute) {
        synchronized (memo) {
            Object cached = memo.get(key);
            if (cached != null) {
                return (T) cached;
            }
        }
        T value = compute.get();
        synchronized (memo) {
            memo.putIfAbsent(key, value);
            return (T) memo.get(key);
        }
    }

    /** Records something the user should see in the report (a fallback, a search decision). */
    public synchronized void note(String message) {
        LOG.info(message);
        notes.add(message);
    }

    /** Notes recorded since the last call, removed from the context. */
    public synchronized List<String> drainNotes() {
        List<String> copy = List.copyOf(notes);
        notes.clear();
        return copy;
    }

    @Override
    public synchronized void close() throws IOException {
        if (tokenizer != null) {
            tokenizer.close();
        }
        checkpoint.close();
    }
}
