package io.svdwb.app.setup;

import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.DecompositionCache;
import io.svdwb.engine.compress.method.Sweep;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.ModelConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Keeps one engine {@link CompressionContext} open for the current model and calibration, so that sweeps and
 * exports reuse its calibration statistics and cached decompositions; a job for another model or calibration
 * replaces it. Also keeps the tokenized evaluation text. Called from background jobs, never the FX thread.
 */
public final class EngineContexts implements AutoCloseable {

    private record ContextKey(Path modelDir, CalibrationSetup calibration) {
    }

    private record TokensKey(Path modelDir, EvaluationSettings settings) {
    }

    private ContextKey contextKey;
    private CompressionContext context;
    private TokensKey tokensKey;
    private Sweep.Evaluation evaluation;

    /** The open context for this model and calibration, opening it (and closing the previous one) if needed. */
    public synchronized CompressionContext context(EngineSetup setup) throws IOException, ModelConfigException {
        ContextKey key = new ContextKey(setup.modelDir().toAbsolutePath().normalize(), setup.calibration());
        if (context != null && key.equals(contextKey)) {
            return context;
        }
        closeContext();
        CalibrationSetup calibration = setup.calibration();
        context = new CompressionContext(key.modelDir(), calibration.text(), calibration.settings(), calibration.calibration(),
                LinearAlgebra.cpu(), DecompositionCache.withDefaultBound());
        contextKey = key;
        return context;
    }

    /** The evaluation protocol of {@code setup} on the context's model, tokenizing the text the first time. */
    public synchronized Sweep.Evaluation evaluation(EngineSetup setup) throws IOException, ModelConfigException {
        CompressionContext open = context(setup);
        TokensKey key = new TokensKey(contextKey.modelDir(), setup.evaluation());
        if (!key.equals(tokensKey)) {
            evaluation = setup.evaluation().resolve(open.model(), open.modelDir());
            tokensKey = key;
        }
        return Objects.requireNonNull(evaluation);
    }

    private void closeContext() throws IOException {
        if (context != null) {
            CompressionContext closing = context;
            context = null;
            contextKey = null;
            tokensKey = null;
            evaluation = null;
            closing.close();
        }
    }

    @Override
    public synchronized void close() {
        try {
            closeContext();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the engine context", e);
        }
    }
}
