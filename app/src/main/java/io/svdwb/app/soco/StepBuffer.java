package io.svdwb.app.soco;

import io.svdwb.engine.progress.TrainingStep;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Carries training steps from the worker thread to the FX thread in batches: however many steps arrive between two
 * runs of the FX queue, the sink gets them in one call, so the loss chart redraws at most once per pulse.
 */
final class StepBuffer {

    private final ConcurrentLinkedQueue<TrainingStep> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean queued = new AtomicBoolean();
    private final Executor fx;
    private final Consumer<List<TrainingStep>> sink;

    StepBuffer(Executor fx, Consumer<List<TrainingStep>> sink) {
        this.fx = fx;
        this.sink = sink;
    }

    /** Any thread. */
    void offer(TrainingStep step) {
        pending.add(step);
        if (queued.compareAndSet(false, true)) {
            fx.execute(this::drain);
        }
    }

    private void drain() {
        // Reset before draining: a step offered during the drain queues another run instead of being stranded.
        queued.set(false);
        List<TrainingStep> batch = new ArrayList<>();
        for (TrainingStep step; (step = pending.poll()) != null; ) {
            batch.add(step);
        }
        if (!batch.isEmpty()) {
            sink.accept(batch);
        }
    }
}
