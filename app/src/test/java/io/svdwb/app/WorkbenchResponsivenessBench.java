package io.svdwb.app;

import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.workbench.PerplexityEstimate;
import io.svdwb.engine.workbench.WorkbenchSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableView;
import javafx.stage.Stage;

/**
 * Workbench responsiveness on the demo model, in the real window (Monocle headless unless run under a display):
 * (a) ratio-slider change to the new rank and kept-parameter numbers laid out in the scene, (b) slider change to
 * the new perplexity estimate laid out (the debounce subtracted; the engine's own estimate time alongside),
 * (c) the longest stall of the FX thread during 200-move slider storms. Each with a baseline measured in the
 * same run. Not a test: run it with scripts/bench-workbench.sh; docs/BENCHMARKS.md records the results.
 *
 * <p>"Laid out in the scene" is the first post-layout pulse listener call that finds the rendered cells and labels
 * showing the new values; drawing the frame follows on the render thread.
 */
public final class WorkbenchResponsivenessBench {

    private static final int REPEATS = Integer.getInteger("bench.repeats", 20);
    private static final int ESTIMATE_REPEATS = Integer.getInteger("bench.estimateRepeats", 10);
    private static final int STORMS = Integer.getInteger("bench.storms", 5);
    private static final int STORM_MOVES = 200;
    private static final long STORM_SPACING_MS = 5;
    private static final long PROBE_PERIOD_NS = 1_000_000;
    private static final long TIMEOUT_S = 300;

    private Workbench workbench;
    private Scene scene;
    private Slider slider;
    private Label kept;
    private Label estimateValue;
    private MatrixSpec q0;
    /** The tree row of L0.q (layer 0 is expanded when a model opens, so it is on screen). */
    private TreeItem<?> q0Row;
    /** Conditions waiting for a laid-out pulse; checked by the post-layout pulse listener. */
    private final List<Waiter> waiters = new ArrayList<>();
    /** Start of the current pulse's layout (pre-layout listener), for the pulse cost. */
    private long pulseStart;
    /** The FX thread's CPU time at that start: CPU time, unlike wall time, does not grow with other processes' load. */
    private long pulseCpuStart;
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    /** The FX thread, whose CPU time over a storm is read from the probing thread. */
    private long fxThreadId;
    private final List<Long> pulseEnds = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean recordPulses = new AtomicBoolean();

    private record Waiter(BooleanSupplier condition, CompletableFuture<long[]> done) {
    }

    /** One stop-the-world collection: when it was reported (nanoTime) and how long it took (ms). */
    private record GcPause(long reportedAt, double millis) {
    }

    private final List<GcPause> gcPauses = Collections.synchronizedList(new ArrayList<>());

    /** Records the JVM's collection pauses, so that a stall can be told apart from a collection that stopped every thread. */
    private void watchCollections() {
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof javax.management.NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        return;
                    }
                    var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                            (javax.management.openmbean.CompositeData) notification.getUserData());
                    // Concurrent cycles run beside the application; only the pauses stop the FX thread.
                    if (!info.getGcName().contains("Concurrent")) {
                        gcPauses.add(new GcPause(System.nanoTime(), info.getGcInfo().getDuration()));
                    }
                }, null, null);
            }
        }
    }

    /** The longest collection pause reported between two instants (ms). */
    private double longestPause(long from, long to) {
        synchronized (gcPauses) {
            return gcPauses.stream().filter(p -> p.reportedAt() >= from && p.reportedAt() <= to).mapToDouble(GcPause::millis).max().orElse(0);
        }
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("glass.platform") == null && System.getenv("DISPLAY") == null) {
            System.setProperty("glass.platform", "Monocle");
            System.setProperty("monocle.platform", "Headless");
            System.setProperty("prism.order", "sw");
            System.setProperty("prism.text", "t2k");
        }
        System.setProperty("java.awt.headless", "true");
        Platform.startup(() -> { });
        WorkbenchResponsivenessBench bench = new WorkbenchResponsivenessBench();
        try {
            bench.run();
        } finally {
            fx(() -> {
                if (bench.workbench != null) {
                    bench.workbench.close();
                }
                return null;
            });
            Platform.exit();
        }
    }

    private void run() throws Exception {
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        watchCollections();
        Path demo = DemoModelLocator.find().orElseThrow();
        fx(() -> {
            workbench = Workbench.show(new Stage(), owner -> Optional.empty(), TestEngineSettings.settings());
            workbench.open(demo);
            return null;
        });
        waitFor(() -> workbench.model().getOpenedModel() != null && !workbench.model().isLoading());
        fx(() -> {
            scene = workbench.stage().getScene();
            fxThreadId = Thread.currentThread().threadId();
            slider = (Slider) scene.lookup("#ratioSlider");
            kept = (Label) scene.lookup("#keptParameters");
            estimateValue = (Label) scene.lookup("#estimateValue");
            q0 = workbench.model().getOpenedModel().matrices().get(0);
            q0Row = ((TreeTableView<?>) scene.lookup("#layerTree")).getRoot().getChildren().get(0).getChildren().get(0);
            scene.addPreLayoutPulseListener(() -> {
                pulseStart = System.nanoTime();
                pulseCpuStart = THREADS.getCurrentThreadCpuTime();
            });
            scene.addPostLayoutPulseListener(this::afterLayout);
            return null;
        });
        // SVD-LLM at 0.4 (the defaults): calibrates and decomposes once; then warm the code paths up.
        waitForIdleEstimate();
        for (int i = 0; i < 30; i++) {
            measureChange(0.2 + 0.01 * i);
        }
        waitForIdleEstimate();

        long debounceMs = fx(() -> (long) workbench.model().runSettings().debounceMillisProperty().get());
        String method = fx(() -> workbench.model().compression().getMethod().cliName());
        List<Double> emptyPulse = new ArrayList<>();
        List<Double> change = new ArrayList<>();
        List<Double> handler = new ArrayList<>();
        List<Double> changedPulseLayout = new ArrayList<>();
        List<Double> emptyPulseLayout = new ArrayList<>();
        List<Double> handlerCpu = new ArrayList<>();
        List<Double> changedPulseCpu = new ArrayList<>();
        List<Double> emptyPulseCpu = new ArrayList<>();
        for (int i = 0; i < REPEATS; i++) {
            long[] empty = measureEmptyPulse();
            emptyPulse.add(ms(empty[0]));
            emptyPulseLayout.add(ms(empty[1]));
            emptyPulseCpu.add(ms(empty[2]));
            double ratio = 0.3 + 0.3 * (i % 2) + 0.001 * i;
            long[] c = measureChange(ratio);
            change.add(ms(c[0]));
            handler.add(ms(c[1]));
            changedPulseLayout.add(ms(c[2]));
            handlerCpu.add(ms(c[3]));
            changedPulseCpu.add(ms(c[4]));
        }

        List<Double> estimate = new ArrayList<>();
        List<Double> engineOnly = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < ESTIMATE_REPEATS; i++) {
            waitForIdleEstimate();
            double ratio = 0.25 + 0.03 * i;
            ratios.add(ratio);
            estimate.add(ms(measureEstimate(ratio)) - debounceMs);
        }
        waitForIdleEstimate();
        // The engine alone: the same requests on a second, warmed-up session (same model, texts, calibration cache).
        CompressionRequest template = fx(() -> workbench.model().compression().getSetting().request());
        var protocol = fx(() -> workbench.model().runSettings().estimateProtocol(workbench.model().getOpenedModel().config()));
        EngineSettings engine = TestEngineSettings.settings();
        try (WorkbenchSession session = WorkbenchSession.open(demo, engine.calibrationText(),
                fx(() -> workbench.model().runSettings().getCalibrationSettings()), engine.calibrationCache(), LinearAlgebra.cpu())) {
            session.estimate(template, protocol, ProgressListener.NONE);
            for (double ratio : ratios) {
                CompressionRequest request = new CompressionRequest(template.method(), ratio, template.selection(), template.settings());
                long start = System.nanoTime();
                session.estimate(request, protocol, ProgressListener.NONE);
                engineOnly.add(ms(System.nanoTime() - start));
            }
        }

        List<Double> idleStall = new ArrayList<>();
        List<Double> idlePulseGap = new ArrayList<>();
        List<Double> stormStall = new ArrayList<>();
        List<Double> stormPulseGap = new ArrayList<>();
        List<Double> stormLength = new ArrayList<>();
        List<Double> idleGc = new ArrayList<>();
        List<Double> stormGc = new ArrayList<>();
        List<Double> idleCpu = new ArrayList<>();
        List<Double> stormCpu = new ArrayList<>();
        for (int s = 0; s < STORMS; s++) {
            waitForIdleEstimate();
            double[] idle = probeWhile(() -> sleep(STORM_MOVES * STORM_SPACING_MS));
            idleStall.add(idle[0]);
            idlePulseGap.add(idle[1]);
            idleGc.add(idle[3]);
            idleCpu.add(idle[4]);
            int storm = s;
            double[] moved = probeWhile(() -> storm(storm));
            stormStall.add(moved[0]);
            stormPulseGap.add(moved[1]);
            stormLength.add(moved[2]);
            stormGc.add(moved[3]);
            stormCpu.add(moved[4]);
        }
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();

        System.out.println();
        System.out.printf(Locale.ROOT, "Workbench responsiveness, demo model, method %s, %s, %d cores, Java %s%n", method,
                System.getProperty("glass.platform", "default glass platform") + " " + System.getProperty("prism.order", ""),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.println("load average before: " + loadBefore + "; after: " + loadAfter);
        System.out.println("| measure | repeats | median ms | max ms |");
        System.out.println("|---|---|---|---|");
        row("(a) baseline: requestNextPulse to laid-out empty pulse", emptyPulse);
        row("(a) slider change to new rank and kept numbers laid out", change);
        row("(a) of which: the change's own event (model, bindings, cell texts)", handler);
        row("(a) baseline: CSS + layout of an empty pulse", emptyPulseLayout);
        row("(a) CSS + layout of the pulse showing the change", changedPulseLayout);
        row("(a) FX thread CPU time: the change's own event", handlerCpu);
        row("(a) baseline: FX thread CPU time, CSS + layout of an empty pulse", emptyPulseCpu);
        row("(a) FX thread CPU time, CSS + layout of the pulse showing the change", changedPulseCpu);
        row("(b) slider change to new estimate laid out, minus the " + debounceMs + " ms debounce", estimate);
        row("(b) baseline: the engine's estimate alone (same requests, warm session)", engineOnly);
        row("(c) baseline: longest FX stall, idle window of " + STORM_MOVES * STORM_SPACING_MS + " ms", idleStall);
        row("(c) longest FX stall during a 200-move storm (to its estimate shown)", stormStall);
        row("(c) baseline: longest gap between pulses, idle", idlePulseGap);
        row("(c) longest gap between pulses during the storm", stormPulseGap);
        row("(c) storm window: first move to its estimate laid out", stormLength);
        row("(c) baseline: FX thread CPU time over the idle window", idleCpu);
        row("(c) FX thread CPU time over the storm window", stormCpu);
        row("(c) baseline: longest collection pause (all threads stopped), idle window", idleGc);
        row("(c) longest collection pause during the storm window", stormGc);
    }

    /** Nanoseconds from requesting a pulse to its post-layout call, the pulse's CSS + layout time, and its FX thread CPU time. */
    private long[] measureEmptyPulse() throws Exception {
        CompletableFuture<long[]> done = new CompletableFuture<>();
        AtomicLong start = new AtomicLong();
        fx(() -> {
            start.set(System.nanoTime());
            waiters.add(new Waiter(() -> true, done));
            Platform.requestNextPulse();
            return null;
        });
        long[] at = done.get(TIMEOUT_S, TimeUnit.SECONDS);
        return new long[] {at[0] - start.get(), at[0] - at[1], at[2]};
    }

    /**
     * Moves the slider to {@code ratio}: nanoseconds to the numbers laid out, of the change's own event, and of that
     * pulse's layout; then the FX thread's CPU time in the change's event and in that pulse's layout.
     */
    private long[] measureChange(double ratio) throws Exception {
        CompletableFuture<long[]> done = new CompletableFuture<>();
        AtomicLong start = new AtomicLong();
        AtomicLong handled = new AtomicLong();
        AtomicLong handlerCpu = new AtomicLong();
        String rank = Integer.toString(RankFromRatio.rank(q0.rows(), q0.cols(), CompressionSettingsModel.quantise(ratio)));
        fx(() -> {
            long cpu = THREADS.getCurrentThreadCpuTime();
            start.set(System.nanoTime());
            slider.setValue(ratio);
            handled.set(System.nanoTime());
            handlerCpu.set(THREADS.getCurrentThreadCpuTime() - cpu);
            String keptText = io.svdwb.app.view.Formats.count(workbench.model().getPlan().keptParameters()) + " of ";
            waiters.add(new Waiter(() -> rank.equals(renderedRankOfQ0()) && kept.getText().startsWith(keptText), done));
            return null;
        });
        long[] at = done.get(TIMEOUT_S, TimeUnit.SECONDS);
        return new long[] {at[0] - start.get(), handled.get() - start.get(), at[0] - at[1], handlerCpu.get(), at[2]};
    }

    /** Nanoseconds from a slider move to its estimate's value laid out. */
    private long measureEstimate(double ratio) throws Exception {
        CompletableFuture<long[]> done = new CompletableFuture<>();
        AtomicLong start = new AtomicLong();
        double c = CompressionSettingsModel.quantise(ratio);
        fx(() -> {
            start.set(System.nanoTime());
            slider.setValue(ratio);
            waiters.add(new Waiter(() -> {
                PerplexityEstimate e = workbench.model().results().getEstimate();
                return e != null && e.request().ratio() == c
                        && estimateValue.getText().equals(String.format(Locale.ROOT, "%.4f", e.perplexity().perplexity()));
            }, done));
            return null;
        });
        return done.get(TIMEOUT_S, TimeUnit.SECONDS)[0] - start.get();
    }

    /** 200 slider moves, one FX event each, 5 ms apart (a fast drag), then waits for the last position's estimate. */
    private void storm(int seed) {
        try {
            double last = 0;
            for (int i = 0; i < STORM_MOVES; i++) {
                double ratio = 0.05 + 0.9 * (((i + seed * STORM_MOVES) * 0.6180339887) % 1);
                last = ratio;
                Platform.runLater(() -> slider.setValue(ratio));
                Thread.sleep(STORM_SPACING_MS);
            }
            measureEstimateAfterStorm(CompressionSettingsModel.quantise(last));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void measureEstimateAfterStorm(double c) throws Exception {
        CompletableFuture<long[]> done = new CompletableFuture<>();
        fx(() -> {
            waiters.add(new Waiter(() -> {
                PerplexityEstimate e = workbench.model().results().getEstimate();
                return e != null && e.request().ratio() == c && !workbench.model().results().estimateJob().isRunning()
                        && estimateValue.getText().equals(String.format(Locale.ROOT, "%.4f", e.perplexity().perplexity()));
            }, done));
            return null;
        });
        done.get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    /**
     * Runs {@code work} while a probe thread posts a runnable to the FX thread every millisecond: returns the
     * longest wait of a probe (ms), the longest gap between laid-out pulses (ms), how long work took (ms), and the
     * longest collection pause meanwhile (ms), and the FX thread's CPU time meanwhile (ms; the probes' own share included).
     */
    private double[] probeWhile(Runnable work) throws Exception {
        AtomicLong longest = new AtomicLong();
        AtomicBoolean probing = new AtomicBoolean(true);
        Thread probe = new Thread(() -> {
            long next = System.nanoTime();
            while (probing.get()) {
                long posted = System.nanoTime();
                Platform.runLater(() -> longest.accumulateAndGet(System.nanoTime() - posted, Math::max));
                next += PROBE_PERIOD_NS;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                } else {
                    next = System.nanoTime();
                }
            }
        }, "fx-stall-probe");
        pulseEnds.clear();
        recordPulses.set(true);
        probe.start();
        long start = System.nanoTime();
        long cpuStart = THREADS.getThreadCpuTime(fxThreadId);
        work.run();
        long cpu = THREADS.getThreadCpuTime(fxThreadId) - cpuStart;
        long took = System.nanoTime() - start;
        probing.set(false);
        probe.join();
        fx(() -> null);
        recordPulses.set(false);
        long gap = 0;
        synchronized (pulseEnds) {
            for (int i = 1; i < pulseEnds.size(); i++) {
                gap = Math.max(gap, pulseEnds.get(i) - pulseEnds.get(i - 1));
            }
        }
        return new double[] {ms(longest.get()), ms(gap), ms(took), longestPause(start, System.nanoTime()), ms(cpu)};
    }

    /**
     * Post-layout pulse listener: completes the waiters whose condition now holds with (now, this pulse's layout start,
     * the FX thread's CPU time since that start).
     */
    private void afterLayout() {
        long now = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime() - pulseCpuStart;
        if (recordPulses.get()) {
            pulseEnds.add(now);
        }
        for (var it = waiters.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (waiter.condition().getAsBoolean()) {
                it.remove();
                waiter.done().complete(new long[] {now, pulseStart, cpu});
            }
        }
    }

    private String renderedRankOfQ0() {
        return workbench.stage().getScene().lookup("#layerTree").lookupAll(".tree-table-cell").stream()
                .map(node -> (TreeTableCell<?, ?>) node)
                .filter(cell -> cell.isVisible() && cell.getTableColumn() != null && "rankColumn".equals(cell.getTableColumn().getId())
                        && cell.getTableRow() != null && cell.getTableRow().getTreeItem() == q0Row)
                .map(TreeTableCell::getText).findFirst().orElse(null);
    }

    private void waitForIdleEstimate() throws Exception {
        waitFor(() -> {
            PerplexityEstimate e = workbench.model().results().getEstimate();
            return e != null && !workbench.model().results().estimateJob().isRunning()
                    && e.request().ratio() == workbench.model().compression().getRatio();
        });
    }

    private static void waitFor(BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (!fx(condition::getAsBoolean)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out");
            }
            Thread.sleep(20);
        }
    }

    private static <T> T fx(java.util.concurrent.Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static void row(String name, List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %.2f |%n", name, n, median, sorted.get(n - 1));
    }
}
