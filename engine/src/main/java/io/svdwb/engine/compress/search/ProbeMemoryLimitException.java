package io.svdwb.engine.compress.search;

/**
 * The caches of a {@link CalibrationProbe} would exceed the memory it may use. Thrown before anything
 * is allocated, so a too-large model or calibration set fails with an explanation instead of running
 * out of memory half-way.
 */
public final class ProbeMemoryLimitException extends RuntimeException {

    private final long requiredBytes;
    private final long limitBytes;

    public ProbeMemoryLimitException(String message, long requiredBytes, long limitBytes) {
        super(message);
        this.requiredBytes = requiredBytes;
        this.limitBytes = limitBytes;
    }

    public long requiredBytes() {
        return requiredBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }
}
