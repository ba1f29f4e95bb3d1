package io.svdwb.app.setup;

import io.svdwb.engine.calibration.Calibration;
import io.svdwb.engine.calibration.CalibrationCache;
import io.svdwb.engine.calibration.CalibrationSettings;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.DecompositionCache;
import io.svdwb.engine.linalg.Devices;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.ModelConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One engine {@link CompressionContext} per model and calibration, shared by everything in the workbench that needs
 * one (the main view's session, the compare and export tools): a context holds the model's decompositions and
 * calibration statistics, so two of them for one model would compute and keep each twice. Handed out as handles;
 * a context closes when its last handle is closed. Thread-safe.
 */
public final class SharedContexts {

    /**
     * What a context depends on.
     *
     * @param cacheFolder where calibration statistics are cached (null: the engine's default)
     */
    public record Key(Path modelDir, Path calibrationText, CalibrationSettings settings, Path cacheFolder, String device) {

        public Key {
            modelDir = modelDir.toAbsolutePath().normalize();
            Objects.requireNonNull(settings, "settings");
            device = device == null ? "cpu" : device;
        }

        /** The context {@code setup} asks for, on the CPU. */
        public static Key of(Path modelDir, CalibrationSetup setup) {
            return of(modelDir, setup, "cpu");
        }

        /** The context {@code setup} asks for, on {@code device}. */
        public static Key of(Path modelDir, CalibrationSetup setup, String device) {
            return new Key(modelDir, setup.text(), setup.settings(), setup.cacheFolder(), device);
        }
    }

    /** The right to use a shared context until {@link #close()}. */
    public final class Handle implements AutoCloseable {

        private final Entry entry;
        private boolean closed;

        private Handle(Entry entry) {
            this.entry = entry;
        }

        public CompressionContext context() {
            return entry.context;
        }

        public Key key() {
            return entry.key;
        }

        @Override
        public void close() {
            synchronized (SharedContexts.this) {
                if (closed) {
                    return;
                }
                closed = true;
                if (--entry.handles == 0) {
                    open.remove(entry.key);
                    try {
                        entry.context.close();
                    } catch (IOException | RuntimeException e) {
                        // Nothing the user can act on: the context's files are read-only.
                        LOG.warn("closing the engine context for {} failed", entry.key, e);
                    }
                }
            }
        }
    }

    private static final class Entry {
        final Key key;
        final CompressionContext context;
        int handles;

        Entry(Key key, CompressionContext context) {
            this.key = key;
            this.context = context;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(SharedContexts.class);

    private final Map<Key, Entry> open = new HashMap<>();

    /** A handle on the context for {@code key}, opening it if no handle holds one. */
    public synchronized Handle acquire(Key key) throws IOException, ModelConfigException {
        Entry entry = open.get(key);
        if (entry == null) {
            // Opened under the lock on purpose: a second caller for the same key waits for this context, not a second one.
            CalibrationCache cache = key.cacheFolder() == null ? CalibrationCache.atDefaultLocation() : new CalibrationCache(key.cacheFolder());
            LinearAlgebra linalg = Devices.open(key.device());
            entry = new Entry(key, new CompressionContext(key.modelDir(), key.calibrationText(), key.settings(),
                    new Calibration(cache, linalg), linalg, DecompositionCache.withDefaultBound()));
            open.put(key, entry);
        }
        entry.handles++;
        return new Handle(entry);
    }

    /** How many contexts are open (for tests: one per model and calibration, however many users). */
    public synchronized int openCount() {
        return open.size();
    }
}
