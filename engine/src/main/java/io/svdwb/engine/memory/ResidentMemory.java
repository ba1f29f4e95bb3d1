package io.svdwb.engine.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The process's resident memory as the kernel counts it (Linux /proc/self/status), which is what decides whether a
 * run is killed for memory: the Java heap, ND4J's off-heap arrays, native libraries and mapped files together.
 */
public final class ResidentMemory {

    private ResidentMemory() {
    }

    /** The peak resident set size so far (VmHWM), in bytes; -1 where the kernel does not tell (not Linux). */
    public static long peakBytes() {
        return statusField("VmHWM:");
    }

    /** The current resident set size (VmRSS), in bytes; -1 where the kernel does not tell. */
    public static long currentBytes() {
        return statusField("VmRSS:");
    }

    /** "3.21 GB", or "unknown" for a negative figure. */
    public static String format(long bytes) {
        return bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }

    private static long statusField(String field) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
            for (String line : lines) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L; // the kernel writes kB
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
