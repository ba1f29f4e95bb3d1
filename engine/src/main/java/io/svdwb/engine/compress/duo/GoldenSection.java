package io.svdwb.engine.compress.duo;

import java.util.HashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntToDoubleFunction;

/**
 * Golden-section minimisation (docs/METHODS.md §4.6, the search over the rank/column split). Stateless.
 */
public final class GoldenSection {

    private static final double INV_PHI = 0.6180339887498949;

    private GoldenSection() {
    }

    /** Continuous golden-section search of a unimodal f on [a, b] until the bracket is below tol. */
    public static double minimize(DoubleUnaryOperator f, double a, double b, double tol, int maxIterations) {
        double x1 = b - INV_PHI * (b - a);
        double x2 = a + INV_PHI * (b - a);
        double f1 = f.applyAsDouble(x1);
        double f2 = f.applyAsDouble(x2);
        for (int it = 0; it < maxIterations && b - a > tol; it++) {
            if (f1 < f2) {
                b = x2; x2 = x1; f2 = f1; x1 = b - INV_PHI * (b - a); f1 = f.applyAsDouble(x1);
            } else {
                a = x1; x1 = x2; f1 = f2; x2 = a + INV_PHI * (b - a); f2 = f.applyAsDouble(x2);
            }
        }
        return 0.5 * (a + b);
    }

    /**
     * The Duo-SVD integer search over delta in [0, k] (§4.6) [CODE]: probes
     * {@code max(1, round(0.382 k))} and {@code max(1, round(0.618 * 0.382^2 * k))}; if both are
     * {@code >= e0} returns 0. Otherwise golden-section with interior points at 0.382/0.618 of the
     * bracket, cached evaluations, until the bracket is narrower than {@code minWidth} (spec: 3) or
     * {@code maxIterations}; returns the better interior point. With {@code scanFinalBracket}
     * [OURS] it also evaluates every point of the final bracket (at most minWidth more, cached), so
     * a unimodal f's integer minimiser is found exactly; false reproduces the reference.
     */
    public static int searchDelta(IntToDoubleFunction f, int k, double e0, int minWidth, int maxIterations,
            boolean scanFinalBracket) {
        if (k <= 0) {
            return 0;
        }
        Map<Integer, Double> cache = new HashMap<>();
        IntToDoubleFunction cached = d -> cache.computeIfAbsent(d, f::applyAsDouble);
        int p1 = Math.max(1, (int) Math.round(0.382 * k));
        int p2 = Math.max(1, (int) Math.round(0.618 * 0.382 * 0.382 * k));
        if (cached.applyAsDouble(p1) >= e0 && cached.applyAsDouble(p2) >= e0) {
            return 0;
        }
        int a = 0;
        int b = k;
        int x1 = a + (int) Math.round(0.382 * (b - a));
        int x2 = a + (int) Math.round(0.618 * (b - a));
        for (int it = 0; it < maxIterations && b - a >= minWidth; it++) {
            if (cached.applyAsDouble(x1) < cached.applyAsDouble(x2)) {
                b = x2;
            } else {
                a = x1;
            }
            x1 = a + (int) Math.round(0.382 * (b - a));
            x2 = a + (int) Math.round(0.618 * (b - a));
            if (x2 == x1 && x2 < b) {
                x2++; // rounding merged the interior points; keep them distinct [OURS]
            }
        }
        int best = cached.applyAsDouble(x1) <= cached.applyAsDouble(x2) ? x1 : x2;
        if (scanFinalBracket) {
            for (int d = a; d <= b; d++) {
                if (cached.applyAsDouble(d) < cached.applyAsDouble(best)) {
                    best = d;
                }
            }
        }
        return best;
    }
}
