package io.svdwb.app.tasks;

import io.svdwb.engine.progress.ProgressListener;

/** Long engine work: it reports through {@code progress} and stops (CancelledException) once progress says so. */
@FunctionalInterface
public interface EngineJob<T> {

    T run(ProgressListener progress) throws Exception;
}
