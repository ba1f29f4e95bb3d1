package io.svdwb.app.view;

import java.util.Locale;

/**
 * How numbers are written in the workbench: fixed grouping (4,096) whatever the user's locale, so tests can pin them.
 * Sizes are in decimal megabytes (1 MB = 10^6 bytes) everywhere, as the Hugging Face Hub and the command line's
 * reports give them, so the main view, the export dialog and the status bar agree on one number.
 */
public final class Formats {

    private static final long MEGABYTE = 1_000_000L;

    private Formats() {
    }

    /**
     * 260032 becomes "260,032", as {@code String.format(Locale.ROOT, "%,d", value)} writes it. Grouped by hand: the
     * tree's Kept cells and the totals write dozens of counts on every slider move, and a Formatter parses its
     * pattern each time.
     */
    public static String count(long value) {
        String digits = Long.toString(value);
        int sign = value < 0 ? 1 : 0;
        int length = digits.length() - sign;
        if (length <= 3) {
            return digits;
        }
        StringBuilder grouped = new StringBuilder(digits.length() + length / 3);
        int first = sign + ((length - 1) % 3 + 1);
        grouped.append(digits, 0, first);
        for (int i = first; i < digits.length(); i += 3) {
            grouped.append(',').append(digits, i, i + 3);
        }
        return grouped.toString();
    }

    /** A matrix shape in [out, in] order: "64 × 64". */
    public static String shape(int rows, int cols) {
        return rows + " × " + cols;
    }

    /** Decimal megabytes to two decimals, for sizes that can be below one: "0.76 MB". */
    public static String megabytesExact(long bytes) {
        return String.format(Locale.ROOT, "%,.2f MB", bytes / (double) MEGABYTE);
    }

    /** Whole decimal megabytes: "123 MB". */
    public static String megabytes(long bytes) {
        return count(bytes / MEGABYTE) + " MB";
    }
}
