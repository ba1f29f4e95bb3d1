package io.svdwb.app.compare;

import java.awt.Color;
import java.awt.Paint;
import org.jfree.chart.renderer.PaintScale;

/**
 * Colours for losses from 0 to the largest shown: a perceptually ordered ramp (viridis' end points and three
 * stops between, dark = small loss, yellow = large), grey where the method defines no loss.
 */
final class LossPaintScale implements PaintScale {

    static final Color UNDEFINED = new Color(0xBBBBBB);
    private static final Color[] STOPS = {
        new Color(0x440154), new Color(0x3B528B), new Color(0x21918C), new Color(0x5EC962), new Color(0xFDE725)};

    private final double upper;

    LossPaintScale(double upper) {
        this.upper = upper > 0 && Double.isFinite(upper) ? upper : 1;
    }

    @Override
    public double getLowerBound() {
        return 0;
    }

    @Override
    public double getUpperBound() {
        return upper;
    }

    @Override
    public Paint getPaint(double value) {
        if (!Double.isFinite(value)) {
            return UNDEFINED;
        }
        double t = Math.max(0, Math.min(1, value / upper)) * (STOPS.length - 1);
        int i = Math.min((int) t, STOPS.length - 2);
        double f = t - i;
        Color a = STOPS[i];
        Color b = STOPS[i + 1];
        return new Color(mix(a.getRed(), b.getRed(), f), mix(a.getGreen(), b.getGreen(), f), mix(a.getBlue(), b.getBlue(), f));
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }
}
