package io.svdwb.engine.progress;

import java.util.Locale;

/**
 * Raised before a step that is known to need more Java heap than is free, where running out half way would be
 * worse than an ordinary {@link OutOfMemoryError}: native code (the Hugging Face tokenizer's JNI) aborts the whole
 * JVM when a Java allocation fails inside it. The message says what was being done and how much it needs.
 */
public final class NotEnoughMemoryError extends OutOfMemoryError {

    private final String activity;
    private final long neededBytes;
    private final long availableBytes;

    private NotEnoughMemoryError(String activity, long neededBytes, long availableBytes) {
        super(String.format(Locale.ROOT, "%s needs about %d MB of Java heap, %d MB of the maximum %d MB are free", activity,
                megabytes(neededBytes), megabytes(availableBytes), megabytes(Runtime.getRuntime().maxMemory())));
        this.activity = activity;
        this.neededBytes = neededBytes;
        this.availableBytes = availableBytes;
    }

    /** What could not be done, e.g. "tokenizing 997,983 characters of text". */
    public String activity() {
        return activity;
    }

    /** The heap the step needs on top of what is in use, in bytes. */
    public long neededBytes() {
        return neededBytes;
    }

    /** The heap that was free (after a garbage collection) when the step was refused, in bytes. */
    public long availableBytes() {
        return availableBytes;
    }

    /**
     * Returns if {@code bytes} more of Java heap can be had (after a garbage collection, which is only asked for when
     * the free heap looks too small); throws otherwise, naming {@code activity}.
     */
    public static void requireHeap(long bytes, String activity) {
        if (available() >= bytes) {
            return;
        }
        System.gc();   // garbage counts as used until collected; the step is large enough to justify one collection
        long available = available();
        if (available < bytes) {
            throw new NotEnoughMemoryError(activity, bytes, available);
        }
    }

    private static long available() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    public static long megabytes(long bytes) {
        return (bytes + 999_999) / 1_000_000;
    }
}
