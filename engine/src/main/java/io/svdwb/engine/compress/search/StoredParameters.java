package io.svdwb.engine.compress.search;

import io.svdwb.engine.model.MatrixSpec;

/**
 * The parameters a matrix stores at a kept ratio by the spec's formulas (docs/METHODS.md §2.3, §2.4, §4.6
 * {@code cost_j(p)}): {@code m n} when dense (p = 1), else {@code k (m + n)} with
 * {@code k = floor(p m n / (m + n))} clamped to [1, min(m, n)]. Used where no replacement is built
 * (tests, planning); the searches take their costs from the replacements they actually built.
 * Takes the kept ratio itself rather than going through {@code RankFromRatio.rank(m, n, 1 - p)}: in
 * double, {@code 1 - (1 - p)} is not always p, which can move a floor that lands on an exact integer.
 */
public final class StoredParameters {

    private StoredParameters() {
    }

    public static int rank(MatrixSpec m, double keptRatio) {
        double k = Math.floor((double) m.rows() * m.cols() * keptRatio / ((double) m.rows() + m.cols()));
        return (int) Math.max(1, Math.min(Math.min(m.rows(), m.cols()), k));
    }

    public static long at(MatrixSpec m, double keptRatio) {
        if (!(keptRatio > 0 && keptRatio <= 1)) {
            throw new IllegalArgumentException("kept ratio must be in (0, 1], got " + keptRatio);
        }
        return keptRatio == 1.0 ? m.parameters() : (long) rank(m, keptRatio) * (m.rows() + m.cols());
    }
}
