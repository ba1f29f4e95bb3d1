package io.svdwb.engine.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process as the Linux kernel counts it (heap, off-heap and mapped pages together). */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Peak resident set size (VmHWM) in bytes, or -1 where /proc is not available. */
    public static long peakResidentBytes() {
        return statusField("VmHWM:");
    }

    /** Current resident set size (VmRSS) in bytes, or -1 where /proc is not available. */
    public static long residentBytes() {
        return statusField("VmRSS:");
    }

    private static long statusField(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
