package io.svdwb.engine.compress.duo;

/**
 * The ranks-for-columns exchange of Duo-SVD (docs/METHODS.md §2.4 "column-preserving budget identity",
 * §4.6 step 4): giving up {@code delta} of a rank budget {@code k} frees {@code delta (m+n)} numbers,
 * which buy {@code q} dense input columns, since {@code kc (m+n-q) + m q = kc (m+n) + q (m-kc)}.
 * Stateless.
 */
public final class ColumnExchange {

    /** How q is rounded: the reference rounds [CODE]; FLOOR [OURS, default] never exceeds {@code k (m+n)}. */
    public enum Rounding { FLOOR, ROUND }

    /** A feasible split: kc ranks of the low-rank part, q dense columns. */
    public record Split(int delta, int kc, int q) { }

    private ColumnExchange() {
    }

    /** Stored numbers of a column-preserving factorization, §2.4: {@code kc (m+n-q) + m q}. */
    public static long stored(int m, int n, int kc, int q) {
        return (long) kc * (m + n - q) + (long) m * q;
    }

    /**
     * The split for {@code delta} ranks traded out of budget rank {@code k}, or null when infeasible
     * (§4.6 constraints: {@code m - kc > 0} and {@code q <= n - kc}).
     */
    public static Split split(int m, int n, int k, int delta, Rounding rounding) {
        if (m <= 0 || n <= 0 || k < 0 || delta < 0 || delta > k) {
            throw new IllegalArgumentException("m=" + m + " n=" + n + " k=" + k + " delta=" + delta);
        }
        int kc = k - delta;
        if (m - kc <= 0) {
            return null;
        }
        double exact = (double) delta * (m + n) / (m - kc);
        long q = rounding == Rounding.FLOOR ? (long) Math.floor(exact) : Math.round(exact);
        if (q > n - kc) {
            return null;
        }
        return new Split(delta, kc, (int) q);
    }
}
