package io.svdwb.app.setup;

import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.model.ModelConfigException;
import io.svdwb.engine.pipeline.CompressionPipeline;
import java.io.IOException;

/**
 * Keeps a handle on the engine {@link CompressionContext} of the current model and calibration, so that sweeps and
 * exports reuse its calibration statistics and cached decompositions; a job for another model or calibration
 * moves the handle. The context comes from {@link SharedContexts}, so the workbench's main view, which has a handle
 * on the same one, shares them too. Also keeps the tools' {@link CompressionPipeline} on that context, which
 * tokenizes each evaluation text once. Called from background jobs, never the FX thread.
 */
public final class EngineContexts implements AutoCloseable {

    private final SharedContexts shared;
    private SharedContexts.Handle handle;
    private CompressionPipeline pipeline;

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
        SharedContexts.Key key = SharedContexts.Key.of(setup.modelDir(), setup.calibration(), setup.device());
        if (handle != null && key.equals(handle.key())) {
            return handle.context();
        }
        release();
        handle = shared.acquire(key);
        return handle.context();
    }

    /** The pipeline on the context of {@code setup}, made the first time. */
    public synchronized CompressionPipeline pipeline(EngineSetup setup) throws IOException, ModelConfigException {
        CompressionContext open = context(setup);
        if (pipeline == null || pipeline.context() != open) {
            pipeline = new CompressionPipeline(open);
        }
        return pipeline;
    }

    private void release() {
        if (handle != null) {
            SharedContexts.Handle releasing = handle;
            handle = null;
            pipeline = null;
            releasing.close();
        }
    }

    @Override
    public synchronized void close() {
        release();
    }
}
