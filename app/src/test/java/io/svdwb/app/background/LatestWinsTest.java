package io.svdwb.app.background;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.progress.ProgressListener;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The latest-wins scheduler without JavaFX: a single "publisher" thread stands in for the FX thread, and
 * requests are made on it as the workbench makes them. Waits have generous limits only so that a broken
 * scheduler fails instead of hanging; nothing here asserts how long anything takes.
 */
class LatestWinsTest {

    private static final long LIVENESS_S = 60;

    private ScheduledExecutorService worker;
    private ExecutorService publisher;
    /** Touched on the publisher thread only. */
    private long latestRequested = -1;
    private final List<LatestWins.Outcome<Integer, Integer>> published = Collections.synchronizedList(new ArrayList<>());
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void threads() {
        worker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "test-worker"));
        publisher = Executors.newSingleThreadExecutor(r -> daemon(r, "test-publisher"));
    }

    @AfterEach
    void stop() {
        worker.shutdownNow();
        publisher.shutdownNow();
    }

    @Test
    void staleResultsAreNeverPublished() throws Exception {
        LatestWins<Integer, Integer> latest = scheduler(Duration.ofMillis(1), LatestWinsTest::doubledSlowly);
        for (int i = 0; i < 300; i++) {
            int request = i;
            onPublisher(() -> requestOnPublisher(latest, request));
            if (i % 25 == 0) {
                // let some work finish, so that there is something that could be published too late
                Thread.sleep(20);
            }
        }
        awaitPublished(299);
        assertThat(violations).isEmpty();
        assertThat(published).isNotEmpty().allSatisfy(o -> assertThat(o.result()).isEqualTo(2 * o.request()));
        assertThat(published).extracting(LatestWins.Outcome::request).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void theLastRequestIsAlwaysPublished() throws Exception {
        LatestWins<Integer, Integer> latest = scheduler(Duration.ZERO, LatestWinsTest::doubledSlowly);
        int next = 0;
        for (int round = 0; round < 25; round++) {
            int burst = 1 + (round * 7) % 13;
            for (int i = 0; i < burst; i++) {
                int request = next++;
                onPublisher(() -> requestOnPublisher(latest, request));
            }
            LatestWins.Outcome<Integer, Integer> last = awaitPublished(next - 1);
            assertThat(last.result()).isEqualTo(2 * (next - 1));
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void aBurstOf500RequestsEndsWithTheLastOnePublishedAndNoDeadlock() throws Exception {
        LatestWins<Integer, Integer> latest = scheduler(Duration.ZERO, LatestWinsTest::doubledSlowly);
        // One burst in one publisher task, as a programmatic slider storm on the FX thread does it.
        onPublisher(() -> {
            for (int i = 0; i < 500; i++) {
                requestOnPublisher(latest, i);
            }
        });
        LatestWins.Outcome<Integer, Integer> last = awaitPublished(499);
        assertThat(last.result()).isEqualTo(998);
        assertThat(violations).isEmpty();
        assertThat(published).hasSize(1);
        assertThat(ManagementFactory.getThreadMXBean().findDeadlockedThreads()).isNull();
    }

    @Test
    void requestsFromManyThreadsAtOnceEndWithTheNewestGeneration() throws Exception {
        AtomicLong newestGeneration = new AtomicLong();
        LatestWins<Integer, Integer> latest = scheduler(Duration.ZERO, LatestWinsTest::doubledSlowly);
        ExecutorService requesters = Executors.newFixedThreadPool(4, r -> daemon(r, "test-requester"));
        CountDownLatch start = new CountDownLatch(1);
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            done.add(requesters.submit(() -> {
                start.await();
                for (int i = 0; i < 125; i++) {
                    long generation = latest.request(thread * 1000 + i);
                    newestGeneration.accumulateAndGet(generation, Math::max);
                }
                return null;
            }));
        }
        start.countDown();
        for (var f : done) {
            f.get(LIVENESS_S, TimeUnit.SECONDS);
        }
        requesters.shutdown();
        awaitUntil(() -> !published.isEmpty() && published.get(published.size() - 1).generation() == newestGeneration.get());
        assertThat(newestGeneration.get()).isEqualTo(500);
        assertThat(ManagementFactory.getThreadMXBean().findDeadlockedThreads()).isNull();
    }

    @Test
    void runningWorkIsCancelledByANewerRequest() throws Exception {
        CountDownLatch slowStarted = new CountDownLatch(1);
        AtomicBoolean slowSawCancellation = new AtomicBoolean();
        LatestWins<Integer, Integer> latest = scheduler(Duration.ZERO, (request, progress) -> {
            if (request == 1) {
                slowStarted.countDown();
                while (!progress.isCancelled()) {
                    Thread.onSpinWait();
                }
                slowSawCancellation.set(true);
                progress.throwIfCancelled();
            }
            return request * 2;
        });
        onPublisher(() -> requestOnPublisher(latest, 1));
        assertThat(slowStarted.await(LIVENESS_S, TimeUnit.SECONDS)).isTrue();
        onPublisher(() -> requestOnPublisher(latest, 2));
        awaitPublished(2);
        assertThat(slowSawCancellation).isTrue();
        assertThat(published).extracting(LatestWins.Outcome::request).containsExactly(2);
    }

    @Test
    void debouncedRequestsThatWereSupersededNeverStartTheirWork() throws Exception {
        List<Integer> started = Collections.synchronizedList(new ArrayList<>());
        LatestWins<Integer, Integer> latest = scheduler(Duration.ofMinutes(10), (request, progress) -> {
            started.add(request);
            return request;
        });
        onPublisher(() -> {
            requestOnPublisher(latest, 1);
            requestOnPublisher(latest, 2);
            requestOnPublisher(latest, 3);
            latest.setDebounce(Duration.ZERO);
            requestOnPublisher(latest, 4);
        });
        awaitPublished(4);
        assertThat(started).containsExactly(4);
    }

    @Test
    void failuresOfTheNewestRequestArePublishedAsOutcomes() throws Exception {
        LatestWins<Integer, Integer> latest = scheduler(Duration.ZERO, (request, progress) -> {
            if (request == 7) {
                throw new UnsupportedOperationException("duo-svd is not implemented yet");
            }
            throw new AssertionError("an Error is reported too");
        });
        onPublisher(() -> requestOnPublisher(latest, 7));
        LatestWins.Outcome<Integer, Integer> failed = awaitPublished(7);
        assertThat(failed.failed()).isTrue();
        assertThat(failed.result()).isNull();
        assertThat(failed.error()).isInstanceOf(UnsupportedOperationException.class).hasMessage("duo-svd is not implemented yet");
        onPublisher(() -> requestOnPublisher(latest, 8));
        assertThat(awaitPublished(8).error()).isInstanceOf(AssertionError.class);
    }

    @Test
    void cancelSupersedesEverythingSoFar() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LatestWins<Integer, Integer> latest = scheduler(Duration.ZERO, (request, progress) -> {
            if (request == 1) {
                release.await();  // finishes normally, but only after cancel()
            }
            return request;
        });
        onPublisher(() -> requestOnPublisher(latest, 1));
        onPublisher(latest::cancel);
        release.countDown();
        onPublisher(() -> requestOnPublisher(latest, 2));
        awaitPublished(2);
        assertThat(published).extracting(LatestWins.Outcome::request).containsExactly(2);
    }

    @Test
    void progressReachesTheSinkOnlyFromTheNewestWork() throws Exception {
        List<String> phases = Collections.synchronizedList(new ArrayList<>());
        ProgressListener sink = new ProgressListener() {
            @Override public void begin(String phase, long totalUnits) { phases.add(phase); }
            @Override public void advanceTo(long unitsDone) { }
            @Override public void end() { }
            @Override public boolean isCancelled() { return false; }
        };
        CountDownLatch firstStarted = new CountDownLatch(1);
        LatestWins<Integer, Integer> latest = new LatestWins<>(worker, publisher, Duration.ZERO, (request, progress) -> {
            if (request == 1) {
                firstStarted.countDown();
                while (!progress.isCancelled()) {
                    Thread.onSpinWait();
                }
            }
            progress.begin("phase of " + request, 1);  // dropped for the superseded request
            return request;
        }, sink, recordAndCheck());
        onPublisher(() -> requestOnPublisher(latest, 1));
        assertThat(firstStarted.await(LIVENESS_S, TimeUnit.SECONDS)).isTrue();
        onPublisher(() -> requestOnPublisher(latest, 2));
        awaitPublished(2);
        assertThat(phases).containsExactly("phase of 2");
    }

    /** 20 small steps, each a cancellation point, as engine loops are. */
    private static Integer doubledSlowly(Integer request, ProgressListener progress) throws InterruptedException {
        progress.begin("doubling", 20);
        for (int step = 0; step < 20; step++) {
            progress.throwIfCancelled();
            Thread.sleep(0, 100_000);
            progress.advanceTo(step + 1);
        }
        progress.end();
        return request * 2;
    }

    private LatestWins<Integer, Integer> scheduler(Duration debounce, LatestWins.Work<Integer, Integer> work) {
        return new LatestWins<>(worker, publisher, debounce, work, ProgressListener.NONE, recordAndCheck());
    }

    /** Runs on the publisher thread: every outcome handed over must belong to the newest request made there. */
    private Consumer<LatestWins.Outcome<Integer, Integer>> recordAndCheck() {
        return outcome -> {
            if (outcome.request() != latestRequested) {
                violations.add("published " + outcome.request() + " while the newest request was " + latestRequested);
            }
            published.add(outcome);
        };
    }

    private void requestOnPublisher(LatestWins<Integer, Integer> latest, int request) {
        latestRequested = request;
        latest.request(request);
    }

    private void onPublisher(Runnable action) throws Exception {
        publisher.submit(action).get(LIVENESS_S, TimeUnit.SECONDS);
    }

    private LatestWins.Outcome<Integer, Integer> awaitPublished(int request) throws Exception {
        // a synchronized list's stream() is not synchronized: the publisher may add while we read
        awaitUntil(() -> {
            synchronized (published) {
                return published.stream().anyMatch(o -> o.request() == request);
            }
        });
        synchronized (published) {
            return published.stream().filter(o -> o.request() == request).findFirst().orElseThrow();
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIVENESS_S);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > limit) {
                throw new AssertionError("not reached within the liveness limit of " + LIVENESS_S + " s (a hang or deadlock)");
            }
            Thread.sleep(2);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
