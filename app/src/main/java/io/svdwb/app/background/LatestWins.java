package io.svdwb.app.background;

import io.svdwb.engine.progress.CancelledException;
import io.svdwb.engine.progress.ProgressListener;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs slow work for a stream of requests of which only the newest matters (a slider being dragged): each
 * request waits a debounce delay, supersedes every earlier one, and only the newest request's outcome is ever
 * published.
 *
 * <p>Why a generation counter instead of futures: every request takes the next generation number, and work is
 * stale as soon as the counter has moved on. The running work learns it through its
 * {@link ProgressListener#isCancelled()} (the engine then throws {@link CancelledException} at its next check),
 * a pending debounce is simply dropped, and the publishing thread checks the counter once more right before it
 * hands an outcome over. Threads are never interrupted: an interrupt closes the NIO channels the engine reads
 * its checkpoint through.
 *
 * <p>Publication happens on {@code publisher} (the FX thread in the workbench). If requests are made on that
 * same thread, an outcome is handed over only while no newer request exists, so the consumer can never see a
 * stale result.
 *
 * @param <S> a request (an immutable setting)
 * @param <R> what the work computes for it
 */
public final class LatestWins<S, R> {

    /** The slow part; it should poll {@code progress.isCancelled()} (or {@code throwIfCancelled()}) now and then. */
    @FunctionalInterface
    public interface Work<S, R> {
        R run(S request, ProgressListener progress) throws Exception;
    }

    /** What the newest request produced: its result, or the error its work failed with. */
    public record Outcome<S, R>(long generation, S request, R result, Throwable error) {

        public boolean failed() {
            return error != null;
        }
    }

    private final ScheduledExecutorService worker;
    private final Executor publisher;
    private final Work<S, R> work;
    private final ProgressListener progress;
    private final Consumer<Outcome<S, R>> consumer;
    private final AtomicLong generation = new AtomicLong();
    private final Object pendingLock = new Object();
    private ScheduledFuture<?> pending;
    private volatile Duration debounce;

    /**
     * @param worker    runs the work (one thread keeps requests in order; it may be shared with other jobs)
     * @param publisher where outcomes are handed to {@code consumer}
     * @param debounce  how long a request waits for a newer one before its work starts
     * @param progress  told the progress of the newest request's work only (may be {@link ProgressListener#NONE})
     * @param consumer  receives the outcome of the newest request, on {@code publisher}
     */
    public LatestWins(ScheduledExecutorService worker, Executor publisher, Duration debounce, Work<S, R> work,
            ProgressListener progress, Consumer<Outcome<S, R>> consumer) {
        this.worker = Objects.requireNonNull(worker, "worker");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.work = Objects.requireNonNull(work, "work");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        setDebounce(debounce);
    }

    public void setDebounce(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("debounce must not be negative, got " + delay);
        }
        this.debounce = delay;
    }

    /** Supersedes every earlier request and schedules work for this one; returns its generation. */
    public long request(S request) {
        Objects.requireNonNull(request, "request");
        synchronized (pendingLock) {
            long mine = generation.incrementAndGet();
            dropPending();
            try {
                pending = worker.schedule(() -> run(mine, request), debounce.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException shutDown) {
                pending = null;  // the worker was shut down with the window: nothing will be published anyway
            }
            return mine;
        }
    }

    /** Supersedes every request so far: running work stops at its next check, nothing more is published. */
    public void cancel() {
        synchronized (pendingLock) {
            generation.incrementAndGet();
            dropPending();
        }
    }

    /** Whether {@code candidate} is still the newest request. */
    public boolean isLatest(long candidate) {
        return generation.get() == candidate;
    }

    private void dropPending() {
        if (pending != null) {
            pending.cancel(false);  // never interrupt: see the class comment
            pending = null;
        }
    }

    private void run(long mine, S request) {
        if (!isLatest(mine)) {
            return;
        }
        Outcome<S, R> outcome;
        try {
            outcome = new Outcome<>(mine, request, work.run(request, new GenerationProgress(mine)), null);
        } catch (CancelledException superseded) {
            return;
        } catch (Exception | Error failure) {
            // Everything else is an outcome the UI reports (a missing native library, a heap too small), so the
            // worker thread never dies silently and the newest request always gets an answer.
            outcome = new Outcome<>(mine, request, null, failure);
        }
        if (!isLatest(mine)) {
            return;
        }
        Outcome<S, R> finished = outcome;
        try {
            publisher.execute(() -> {
                if (isLatest(mine)) {
                    consumer.accept(finished);
                }
            });
        } catch (RejectedExecutionException shutDown) {
            // the publisher is gone (the window closed): nobody is left to tell
        }
    }

    /** The work's view of its own request: cancelled once superseded, progress forwarded only while newest. */
    private final class GenerationProgress implements ProgressListener {

        private final long mine;

        GenerationProgress(long mine) {
            this.mine = mine;
        }

        @Override
        public void begin(String phase, long totalUnits) {
            if (isLatest(mine)) {
                progress.begin(phase, totalUnits);
            }
        }

        @Override
        public void advanceTo(long unitsDone) {
            if (isLatest(mine)) {
                progress.advanceTo(unitsDone);
            }
        }

        @Override
        public void end() {
            if (isLatest(mine)) {
                progress.end();
            }
        }

        @Override
        public void trainingStep(io.svdwb.engine.progress.TrainingStep step) {
            if (isLatest(mine)) {
                progress.trainingStep(step);
            }
        }

        @Override
        public boolean isCancelled() {
            return !isLatest(mine);
        }
    }
}
