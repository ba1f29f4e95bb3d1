package io.svdwb.app.compare;

import io.svdwb.engine.compress.kernels.RankFromRatio;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The ratios field of the compare view: "0.2,0.4,0.6", each a target ratio c the engine accepts. */
public final class RatioList {

    private RatioList() {
    }

    /** The ratios in the order typed, repeats dropped; an error that says which entry is wrong and why. */
    public static List<Double> parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("Enter at least one ratio, e.g. 0.2,0.4,0.6");
        }
        LinkedHashSet<Double> ratios = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            String entry = part.trim();
            if (entry.isEmpty()) {
                throw new IllegalArgumentException("Empty entry in \"" + text.trim() + "\": separate ratios by single commas, e.g. 0.2,0.4,0.6");
            }
            double ratio;
            try {
                ratio = Double.parseDouble(entry);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + entry + "\" is not a number: write ratios as decimals, e.g. 0.2,0.4,0.6");
            }
            try {
                RankFromRatio.keptRatio(ratio);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("\"" + entry + "\" is out of range: a ratio is the fraction of parameters removed, "
                        + "strictly between 0 and 1 (0.2 removes 20 %)");
            }
            ratios.add(ratio);
        }
        return new ArrayList<>(ratios);
    }

    /** Null when {@code text} parses, else the message {@link #parse} would give. */
    public static String problem(String text) {
        try {
            parse(text);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    public static String format(List<Double> ratios) {
        return ratios.stream().map(r -> String.format(Locale.ROOT, "%s", r)).collect(Collectors.joining(","));
    }
}
