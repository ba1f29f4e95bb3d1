package io.svdwb.app.view;

import java.util.Locale;

/** How numbers are written in the workbench: fixed grouping (4,096) whatever the user's locale, so tests can pin them. */
public final class Formats {

    private static final long MIB = 1024L * 1024L;

    private Formats() {
    }

    /** 260032 becomes "260,032". */
    public static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** A matrix shape in [out, in] order: "64 × 64". */
    public static String shape(int rows, int cols) {
        return rows + " × " + cols;
    }

    /** Mebibytes to two decimals, for sizes that can be below one: "0.76 MB". */
    public static String megabytesExact(long bytes) {
        return String.format(Locale.ROOT, "%,.2f MB", bytes / (double) MIB);
    }

    /** Whole mebibytes: "123 MB". */
    public static String megabytes(long bytes) {
        return count(bytes / MIB) + " MB";
    }
}
