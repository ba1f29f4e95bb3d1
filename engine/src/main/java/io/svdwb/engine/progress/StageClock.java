package io.svdwb.engine.progress;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Seconds spent in each kind of work since the process started (or since {@link #reset}), summed over threads, for
 * the per-stage tables of {@code svdwb bench pipeline}: the places that do the work add to it, and a benchmark reads
 * the totals before and after a phase. Costs two {@code nanoTime} calls per timed call; the timed calls are large
 * (a layer read, a Gram block, a factorisation), so that is noise.
 */
public final class StageClock {

    /** The kinds of work that are timed. */
    public enum Stage {
        /** Reading weights from disk and converting them to float32. */
        LOAD,
        /** Adding activation blocks into Gram matrices. */
        GRAM,
        /** Cholesky factorisations. */
        CHOLESKY,
        /** SVDs and symmetric eigendecompositions. */
        SVD,
        /** Triangular solves (forming whitened factors). */
        TRIANGULAR_SOLVE
    }

    private static final Map<Stage, LongAdder> NANOS = new EnumMap<>(Stage.class);

    static {
        for (Stage stage : Stage.values()) {
            NANOS.put(stage, new LongAdder());
        }
    }

    private StageClock() {
    }

    /** Adds the time since {@code startNanos} (a {@link System#nanoTime()} reading) to {@code stage}. */
    public static void add(Stage stage, long startNanos) {
        NANOS.get(stage).add(System.nanoTime() - startNanos);
    }

    /** Seconds spent in {@code stage} so far. */
    public static double seconds(Stage stage) {
        return NANOS.get(stage).sum() / 1e9;
    }

    /** Every stage's seconds so far. */
    public static Map<Stage, Double> snapshot() {
        Map<Stage, Double> out = new EnumMap<>(Stage.class);
        for (Stage stage : Stage.values()) {
            out.put(stage, seconds(stage));
        }
        return out;
    }
}
