package io.svdwb.engine.workbench;

import io.svdwb.engine.calibration.Calibration;
import io.svdwb.engine.calibration.CalibrationCache;
import io.svdwb.engine.calibration.CalibrationResult;
import io.svdwb.engine.calibration.CalibrationSettings;
import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.Whitening;
import io.svdwb.engine.compress.method.CompressedModels;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.CompressionResult;
import io.svdwb.engine.compress.method.Compressor;
import io.svdwb.engine.compress.method.DecompositionCache;
import io.svdwb.engine.compress.method.DecompositionRecipe;
import io.svdwb.engine.compress.method.MethodOptions;
import io.svdwb.engine.eval.EvaluationText;
import io.svdwb.engine.eval.PerplexityEvaluator;
import io.svdwb.engine.eval.PerplexityResult;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ModelConfigException;
import io.svdwb.engine.model.TextTokenizer;
import io.svdwb.engine.progress.ProgressListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine side of one workbench window: one {@link CompressionContext} (so calibration runs once and every
 * decomposition is computed once, whatever the ratio or method), the spectra it plots, and perplexity
 * estimates of compressed models. Spectra may be asked for from another thread than estimates (the context
 * is thread-safe); estimates run one at a time, because the evaluation model is shared.
 */
public final class WorkbenchSession implements AutoCloseable {

    /** The whitening of the plotted W S spectrum: SVD-LLM's default, so it shares the compressions' cache entries. */
    public static final Whitening.Options SPECTRUM_WHITENING = MethodOptions.DEFAULTS.whitening();

    private final CompressionContext context;
    private final Compressor compressor;
    /** What closing the session does: closes its own context, or returns a shared one to whoever holds it. */
    private final AutoCloseable release;
    private final Map<Path, int[]> tokensByText = new HashMap<>();
    private LlamaModel evaluationModel;
    private volatile boolean calibrated;

    /** A session that owns {@code context}: closing the session closes it. */
    public WorkbenchSession(CompressionContext context) {
        this(context, context::close);
    }

    /**
     * A session on a context it shares with others (the workbench's tools use the same one): closing the session runs
     * {@code release} instead of closing the context.
     */
    public WorkbenchSession(CompressionContext context, AutoCloseable release) {
        this.context = context;
        this.compressor = new Compressor(context);
        this.release = release;
    }

    /** A session on {@code modelDir} calibrating on {@code calibrationText} with statistics cached under {@code cache}. */
    public static WorkbenchSession open(Path modelDir, Path calibrationText, CalibrationSettings settings, CalibrationCache cache)
            throws IOException, ModelConfigException {
        LinearAlgebra linalg = LinearAlgebra.cpu();
        return new WorkbenchSession(new CompressionContext(modelDir, calibrationText, settings, new Calibration(cache, linalg),
                linalg, DecompositionCache.withDefaultBound()));
    }

    public CompressionContext context() {
        return context;
    }

    /** Whether this session has its calibration statistics (whitened spectra are then cheap to ask for). */
    public boolean isCalibrated() {
        return calibrated;
    }

    /** Runs the calibration, or loads it from the disk cache; once per session. */
    public CalibrationResult calibrate(ProgressListener progress) {
        CalibrationResult result = context.calibration(progress);
        calibrated = true;
        return result;
    }

    /** The spectrum of one matrix; with {@code whitened}, also that of W S (calibrating first if needed). */
    public MatrixSpectrum spectrum(MatrixSpec matrix, boolean whitened, ProgressListener progress) {
        LowRankDecomposition raw = context.decomposition(new DecompositionRecipe.Plain(), matrix, progress);
        if (!whitened) {
            return new MatrixSpectrum(matrix, raw.singularValues(), null);
        }
        calibrate(progress);
        LowRankDecomposition w = context.decomposition(new DecompositionRecipe.Whitened(SPECTRUM_WHITENING), matrix, progress);
        return new MatrixSpectrum(matrix, raw.singularValues(), w.singularValues());
    }

    /** The spectra of every compressible matrix of decoder layer {@code layer}, in projection order. */
    public List<MatrixSpectrum> layerSpectra(int layer, boolean whitened, ProgressListener progress) {
        List<MatrixSpec> matrices = context.checkpoint().matrices().stream().filter(m -> m.layer() == layer).toList();
        if (matrices.isEmpty()) {
            throw new IllegalArgumentException("the model has no decoder layer " + layer);
        }
        List<MatrixSpectrum> spectra = new ArrayList<>(matrices.size());
        progress.begin("Spectra of layer " + layer, matrices.size());
        try {
            for (MatrixSpec m : matrices) {
                progress.throwIfCancelled();
                spectra.add(spectrum(m, whitened, ProgressListener.NONE));
                progress.advanceTo(spectra.size());
            }
        } finally {
            progress.end();
        }
        return spectra;
    }

    /**
     * Compresses by {@code request} (calibrating first if the method needs it) and measures the compressed
     * model's perplexity by {@code protocol}: exactly {@link Compressor#compress} followed by
     * {@link PerplexityEvaluator#evaluate}, so the number equals what the CLI's {@code compress --eval} reports.
     */
    public synchronized PerplexityEstimate estimate(CompressionRequest request, EvaluationProtocol protocol, ProgressListener progress) {
        CompressionResult result = compressor.compress(request, progress);
        if (request.method().needsCalibration()) {
            calibrated = true;
        }
        LlamaModel model = evaluationModel();
        CompressedModels.install(model, result);
        try {
            PerplexityResult ppl = new PerplexityEvaluator(model).evaluate(tokens(protocol.text()), protocol.ctx(),
                    protocol.maxTokens(), protocol.batch(), progress);
            return new PerplexityEstimate(request, protocol, ppl, result.selected(), result.modules());
        } finally {
            model.clearReplacements();
        }
    }

    private LlamaModel evaluationModel() {
        if (evaluationModel == null) {
            // Its own model, not the context's: probes of the methods' searches install replacements there.
            evaluationModel = new LlamaModel(context.checkpoint(), context.linearAlgebra(), LlamaModel.Residency.KEEP);
        }
        return evaluationModel;
    }

    /** The protocol's token stream of {@code text}, tokenized once per session. */
    private int[] tokens(Path text) {
        int[] cached = tokensByText.get(text);
        if (cached != null) {
            return cached;
        }
        try (TextTokenizer tokenizer = TextTokenizer.open(context.modelDir())) {
            int[] tokens = EvaluationText.tokenize(io.svdwb.engine.files.TextFiles.readUtf8(text), tokenizer, null);
            tokensByText.put(text, tokens);
            return tokens;
        } catch (IOException e) {
            // The message names the file (the text, or the model's tokenizer) and the problem.
            throw new UncheckedIOException(e.getMessage() != null ? e.getMessage() : "reading " + text, e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            release.close();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("releasing the engine context of " + context.modelDir(), e);
        }
    }
}
