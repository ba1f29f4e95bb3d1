package io.svdwb.engine.workbench;

import io.svdwb.engine.calibration.Calibration;
import io.svdwb.engine.calibration.CalibrationCache;
import io.svdwb.engine.calibration.CalibrationResult;
import io.svdwb.engine.calibration.CalibrationSettings;
import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.Whitening;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.DecompositionCache;
import io.svdwb.engine.compress.method.DecompositionRecipe;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ModelConfigException;
import io.svdwb.engine.pipeline.CompressionPipeline;
import io.svdwb.engine.pipeline.PipelineRequest;
import io.svdwb.engine.pipeline.PipelineResult;
import io.svdwb.engine.progress.ProgressListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine side of one workbench window: one {@link CompressionContext} (so calibration runs once and every
 * decomposition is computed once, whatever the ratio or method), the spectra it plots, and perplexity
 * estimates of compressed models. Spectra may be asked for from another thread than estimates (the context
 * is thread-safe); estimates run one at a time through the session's {@link CompressionPipeline}.
 */
public final class WorkbenchSession implements AutoCloseable {

    /** The whitening of the plotted W S spectrum: SVD-LLM's default, so it shares the compressions' cache entries. */
    public static final Whitening.Options SPECTRUM_WHITENING = Whitening.Options.DEFAULT;

    private final CompressionContext context;
    private final CompressionPipeline pipeline;
    /** What closing the session does: closes its own context, or returns a shared one to whoever holds it. */
    private final AutoCloseable release;
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
        this.pipeline = new CompressionPipeline(context);
        this.release = release;
    }

    /**
     * A session on {@code modelDir} calibrating on {@code calibrationText} with statistics cached under {@code cache}, its
     * calibration, decompositions and model all computed by {@code linalg}.
     */
    public static WorkbenchSession open(Path modelDir, Path calibrationText, CalibrationSettings settings, CalibrationCache cache,
            LinearAlgebra linalg) throws IOException, ModelConfigException {
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
     * Compresses by {@code request} (calibrating first if the method needs it) and measures the compressed model's
     * perplexity by {@code protocol}: a {@link CompressionPipeline} run within the default memory policy, the same one
     * the CLI's {@code compress --eval} makes, so the number equals what it reports.
     */
    public PerplexityEstimate estimate(CompressionRequest request, EvaluationProtocol protocol, ProgressListener progress) {
        PipelineResult result;
        try {
            result = pipeline.run(PipelineRequest.of(request).evaluatedBy(protocol), progress);
        } catch (IOException e) {
            // The message names the file (the text, or the model's tokenizer) and the problem.
            throw new UncheckedIOException(e.getMessage() != null ? e.getMessage() : "reading " + protocol.text(), e);
        }
        if (request.method().needsCalibration()) {
            calibrated = true;
        }
        return new PerplexityEstimate(request, protocol, result.perplexity(), result.compression().selected(),
                result.compression().modules());
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
