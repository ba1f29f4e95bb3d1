package io.svdwb.engine.compress.duo;

import io.svdwb.engine.compress.kernels.LowRankFactors;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.ColumnPreservingLinear;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LowRankLinear;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The result of a column-preserving factorization (docs/METHODS.md §4.6 step 4): the q input columns C of W
 * kept exactly, the other columns R approximated at rank kc, {@code W' [:, C] = W[:, C]},
 * {@code W'[:, R] = A B}. Everything is DOUBLE; {@link #toLinear} casts to the model's FLOAT.
 * Immutable: arrays are copied in and out.
 *
 * <p>e0 and loss are exact output errors when the Cholesky of H (and of H[R, R]) needed no fallback; after
 * a damping fallback (logged by {@link io.svdwb.engine.compress.kernels.Whitening}) they are measured with
 * the damped H.
 *
 * @param label        the matrix, for messages
 * @param budgetRank   k, the rank budget the split was made under
 * @param delta        ranks traded for columns ({@code kc = k - delta}); 0 = plain SVD-LLM truncation
 * @param keptColumns  C, ascending (empty when delta = 0)
 * @param restColumns  R, ascending; C and R partition {@code [0, n)}
 * @param keptWeight   {@code W[:, C]}, m x q, the exact columns
 * @param lowRank      A (m x kc) and B (kc x (n - q)) over the columns R
 * @param e0           the whitened rank-k baseline loss {@code ||W X - A0 B0 X||_F}
 * @param loss         {@code ||(W - W') X||_F} of these factors (f(delta) of §4.6, from the final SVD)
 */
public record ColumnPreservingFactors(String label, int budgetRank, int delta, int[] keptColumns, int[] restColumns,
                                      INDArray keptWeight, LowRankFactors lowRank, double e0, double loss) {

    public ColumnPreservingFactors {
        keptColumns = keptColumns.clone();
        restColumns = restColumns.clone();
        int n = keptColumns.length + restColumns.length;
        boolean partition;
        try {
            partition = Arrays.equals(ColumnSubsets.complement(n, keptColumns), restColumns);
        } catch (IllegalArgumentException e) {
            partition = false;
        }
        if (!partition) {
            throw new IllegalArgumentException(label + ": kept and rest columns must be sorted and partition [0, " + n + ")");
        }
        int m = lowRank.rows();
        if (keptWeight.rows() != m || keptWeight.columns() != keptColumns.length || lowRank.cols() != restColumns.length) {
            throw new IllegalArgumentException(label + ": shapes do not fit: C " + Arrays.toString(keptWeight.shape()) + ", A "
                    + Arrays.toString(lowRank.a().shape()) + ", B " + Arrays.toString(lowRank.b().shape()) + " for "
                    + keptColumns.length + " kept and " + restColumns.length + " rest columns");
        }
    }

    @Override
    public int[] keptColumns() {
        return keptColumns.clone();
    }

    @Override
    public int[] restColumns() {
        return restColumns.clone();
    }

    /** m, the output features. */
    public int rows() {
        return lowRank.rows();
    }

    /** n, the input features. */
    public int cols() {
        return keptColumns.length + restColumns.length;
    }

    /** q, the number of dense columns. */
    public int q() {
        return keptColumns.length;
    }

    /** kc, the rank of the low-rank part. */
    public int kc() {
        return lowRank.rank();
    }

    /** {@code kc (m + n - q) + m q} (docs/METHODS.md §2.4; the index list is not counted). */
    public long stored() {
        return ColumnExchange.stored(rows(), cols(), kc(), q());
    }

    /** {@code (e0 - loss) / e0}: the relative gain over the plain whitened truncation (0 when e0 = 0). */
    public double relativeGain() {
        return e0 > 0 ? (e0 - loss) / e0 : 0;
    }

    /** W' as one m x n DOUBLE matrix: A B (computed by {@code linalg}) in the columns R, the exact columns in C. */
    public INDArray denseEquivalent(LinearAlgebra linalg) {
        INDArray out = Nd4j.create(DataType.DOUBLE, rows(), cols());
        ColumnSubsets.scatterColumns(out, restColumns, lowRank.product(linalg));
        ColumnSubsets.scatterColumns(out, keptColumns, keptWeight);
        return out;
    }

    /**
     * The FLOAT module that computes {@code W' x + bias}: a {@link ColumnPreservingLinear}, or a plain
     * {@link LowRankLinear} when no column is kept (delta = 0), whose stored form needs no CLinear.
     *
     * @param bias [m] or null; kept dense as for every factorization (docs/METHODS.md §2.1)
     */
    public Linear toLinear(INDArray bias, LinearAlgebra linalg) {
        LowRankFactors f = lowRank.asFloat();
        INDArray b = bias == null ? null : bias.castTo(DataType.FLOAT);
        if (q() == 0) {
            return new LowRankLinear(f.a(), f.b(), b, linalg);
        }
        return new ColumnPreservingLinear(f.a(), f.b(), keptWeight.castTo(DataType.FLOAT), keptColumns, b, linalg);
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "ColumnPreservingFactors[" + label + ", " + rows() + " x " + cols() + ", k=" + budgetRank + ", kc=" + kc()
                + ", q=" + q() + ", e0=" + e0 + ", loss=" + loss + "]";
    }
}
