package io.svdwb.engine.cli;

/**
 * javacpp's defaults for the command line, set before ND4J (and with it javacpp's {@code Pointer}) is loaded.
 *
 * <p>javacpp compares the process's resident memory with {@code org.bytedeco.javacpp.maxphysicalbytes} (by default
 * twice the heap limit) on every native allocation. With a small heap ({@code -Xmx32m}) that check fired inside the
 * calibration and the JVM died in glibc ("malloc(): unaligned fastbin chunk detected", exit 134) instead of throwing.
 * With the check off, the same run ends in an ordinary OutOfMemoryError that the CLI reports in one line (exit 4).
 * Resident memory includes the native libraries and the memory-mapped weights, so the check also misjudged large
 * checkpoints. Off-heap arrays stay bounded by {@code org.bytedeco.javacpp.maxbytes} (by default the heap limit).
 * A value the user sets with {@code -D} is kept.
 */
final class JavacppLimits {

    static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxphysicalbytes";

    private JavacppLimits() {
    }

    static void applyDefaults() {
        if (System.getProperty(MAX_PHYSICAL_BYTES) == null) {
            System.setProperty(MAX_PHYSICAL_BYTES, "0");
        }
    }
}
