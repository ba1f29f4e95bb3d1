package io.svdwb.app.compare;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * A vertical log axis labelled at round numbers (1, 2 and 5 times powers of ten, or every integer multiple
 * over a short range) instead of LogAxis's evenly spaced exponents, which print as 15,848.9 and 3,981.1.
 */
final class DecadeLogAxis extends LogAxis {

    private static final double[] ALL = {1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9};
    private static final double[] ONE_TWO_FIVE = {1, 2, 5};
    private static final double[] DECADES = {1};

    private final DecimalFormat format = new DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(Locale.ROOT));

    DecadeLogAxis(String label) {
        super(label);
    }

    @Override
    @SuppressWarnings("rawtypes")
    protected List refreshTicksVertical(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
        double lower = getRange().getLowerBound();
        double upper = getRange().getUpperBound();
        if (!(lower > 0) || !(upper > lower)) {
            return super.refreshTicksVertical(g2, dataArea, edge);
        }
        double decades = Math.log10(upper / lower);
        double[] mantissas = decades > 3 ? DECADES : decades > 0.8 ? ONE_TWO_FIVE : ALL;
        List<NumberTick> ticks = new ArrayList<>();
        for (int exponent = (int) Math.floor(Math.log10(lower)); exponent <= (int) Math.ceil(Math.log10(upper)); exponent++) {
            for (double mantissa : mantissas) {
                double value = mantissa * Math.pow(10, exponent);
                if (value >= lower && value <= upper) {
                    ticks.add(new NumberTick(TickType.MAJOR, value, format.format(value), TextAnchor.CENTER_RIGHT,
                            TextAnchor.CENTER_RIGHT, 0));
                }
            }
        }
        return ticks;
    }
}
