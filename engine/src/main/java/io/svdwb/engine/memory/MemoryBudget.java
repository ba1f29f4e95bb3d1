package io.svdwb.engine.memory;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * How much resident memory a run may use. Commands check what they will need against it before they start (and say
 * the figure when it does not fit) and choose between keeping the whole model in memory and streaming it one decoder
 * layer at a time. The default is {@link #DEFAULT_FRACTION} of physical memory [OURS]: the rest is left to the
 * operating system's page cache, which streaming reads the weights through, and to whatever else runs.
 */
public record MemoryBudget(long bytes) {

    /** The default share of physical memory [OURS]. */
    public static final double DEFAULT_FRACTION = 0.6;

    public MemoryBudget {
        if (bytes <= 0) {
            throw new IllegalArgumentException("the memory budget must be positive, got " + bytes + " bytes");
        }
    }

    /** {@link #DEFAULT_FRACTION} of physical memory (4 GB where the JVM cannot tell it). */
    public static MemoryBudget defaultBudget() {
        long physical = physicalBytes();
        return new MemoryBudget(physical > 0 ? (long) (physical * DEFAULT_FRACTION) : 4_000_000_000L);
    }

    /** Physical memory in bytes, or -1 where the JVM does not tell. */
    public static long physicalBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }

    /**
     * Parses "8g", "8GB", "512m", "2.5G" (decimal units: 1g = 10^9 bytes) or a share of physical memory, "60%".
     *
     * @throws IllegalArgumentException naming the value, for anything else or a non-positive size
     */
    public static MemoryBudget parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("%")) {
                double percent = Double.parseDouble(t.substring(0, t.length() - 1));
                if (!(percent > 0 && percent <= 100)) {
                    throw new IllegalArgumentException("a memory budget share must be in (0, 100] %, got " + text);
                }
                long physical = physicalBytes();
                if (physical <= 0) {
                    throw new IllegalArgumentException("the memory budget " + text + " is a share of physical memory, "
                            + "which this JVM cannot tell; give a size such as 8g");
                }
                return new MemoryBudget((long) (physical * percent / 100));
            }
            String number = t.replaceAll("b$", "");
            double unit = 1;
            char last = number.isEmpty() ? ' ' : number.charAt(number.length() - 1);
            switch (last) {
                case 'k' -> unit = 1e3;
                case 'm' -> unit = 1e6;
                case 'g' -> unit = 1e9;
                case 't' -> unit = 1e12;
                default -> unit = 1;
            }
            if (unit != 1) {
                number = number.substring(0, number.length() - 1);
            }
            double value = Double.parseDouble(number) * unit;
            if (!(value >= 1)) {
                throw new IllegalArgumentException("the memory budget must be positive, got " + text);
            }
            return new MemoryBudget((long) value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the memory budget must be a size such as 8g or 512m, or a share such as 60%, got '"
                    + text + "'", e);
        }
    }

    /**
     * Fails before any work when {@code neededBytes} exceeds the budget, with both figures and what they are for.
     *
     * @throws InsufficientMemoryException naming the need, the budget and the way out
     */
    public void require(long neededBytes, String what) {
        if (neededBytes > bytes) {
            throw new InsufficientMemoryException(String.format(Locale.ROOT,
                    "%s needs about %s of memory, more than the budget of %s; raise it with --memory-budget (physical memory: %s) "
                            + "or run with fewer windows per forward pass (--batch)",
                    what, ResidentMemory.format(neededBytes), ResidentMemory.format(bytes), ResidentMemory.format(physicalBytes())));
        }
    }

    @Override
    public String toString() {
        return ResidentMemory.format(bytes);
    }
}
