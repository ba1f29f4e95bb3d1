package io.svdwb.engine.compress.method;

import io.svdwb.engine.model.MatrixSpec;

/**
 * What one selected matrix became.
 *
 * @param rank         the low-rank part's rank (0 when kept dense)
 * @param keptColumns  dense input columns kept by a column-preserving factorisation (0 otherwise)
 * @param stored       numbers stored for the weight (§2.4)
 * @param loss         the truncation loss in the method's own metric (for whitened methods exactly
 *                     ||W X - W' X||_F over the calibration tokens), NaN when not defined
 */
public record ModuleOutcome(MatrixSpec matrix, int rank, int keptColumns, long stored, double loss) {

    public boolean dense() {
        return rank == 0 && keptColumns == 0;
    }

    public String module() {
        return matrix.kind().moduleName(matrix.layer());
    }
}
