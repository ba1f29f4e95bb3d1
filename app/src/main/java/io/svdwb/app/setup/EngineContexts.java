package io.svdwb.app.setup;

import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.Sweep;
import io.svdwb.engine.model.ModelConfigException;
import java.io.IOException;
import java.util.Objects;

/**
 * Keeps a handle on the engine {@link CompressionContext} of the current model and calibration, so that sweeps and
 * exports reuse its calibration statistics and cached decompositions; a job for another model or calibration
 * moves the handle. The context comes from {@link SharedContexts}, so the workbench's main view, which has a handle
 * on the same one, shares them too. Also keeps the tokenized evaluation text. Called from background jobs, never
 * the FX thread.
 */
public final class EngineContexts implements AutoCloseable {

    private record TokensKey(SharedContexts.Key context, EvaluationSettings settings) {
    }

    private final SharedContexts shared;
    private SharedContexts.Handle handle;
    private TokensKey tokensKey;
    private Sweep.Evaluation evaluation;

    /** Contexts of its own (a tool used without the workbench's main view). */
    public EngineContexts() {
        this(new SharedContexts());
    }

    /** Contexts shared with whoever else takes them from {@code shared}. */
    public EngineContexts(SharedContexts shared) {
        this.shared = shared;
    }

    /** The open context for this model and calibration, taking a handle on it (and returning the previous one) if needed. */
    public synchronized CompressionContext context(EngineSetup setup) throws IOException, ModelConfigException {
        SharedContexts.Key key = SharedContexts.Key.of(setup.modelDir(), setup.calibration());
        if (handle != null && key.equals(handle.key())) {
            return handle.context();
        }
        release();
        handle = shared.acquire(key);
        return handle.context();
    }

    /** The evaluation protocol of {@code setup} on the context's model, tokenizing the text the first time. */
    public synchronized Sweep.Evaluation evaluation(EngineSetup setup) throws IOException, ModelConfigException {
        CompressionContext open = context(setup);
        TokensKey key = new TokensKey(handle.key(), setup.evaluation());
        if (!key.equals(tokensKey)) {
            evaluation = setup.evaluation().resolve(open.model(), open.modelDir());
            tokensKey = key;
        }
        return Objects.requireNonNull(evaluation);
    }

    private void release() {
        if (handle != null) {
            SharedContexts.Handle releasing = handle;
            handle = null;
            tokensKey = null;
            evaluation = null;
            releasing.close();
        }
    }

    @Override
    public synchronized void close() {
        release();
    }
}
