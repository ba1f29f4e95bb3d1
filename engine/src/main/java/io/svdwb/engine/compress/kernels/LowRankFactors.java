package io.svdwb.engine.compress.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import io.svdwb.engine.linalg.LinearAlgebra;

/**
 * A rank-k replacement {@code W' = A B} with {@code A} m x k and {@code B} k x n (docs/METHODS.md §1, §3.5).
 * Produced in DOUBLE by the kernels; {@link #asFloat()} casts at the very end (§3.4 "Precision").
 */
public record LowRankFactors(INDArray a, INDArray b) {

    public LowRankFactors {
        if (a.rank() != 2 || b.rank() != 2 || a.columns() != b.rows()) {
            throw new IllegalArgumentException("factor shapes do not chain: A " + java.util.Arrays.toString(a.shape())
                    + ", B " + java.util.Arrays.toString(b.shape()));
        }
    }

    public int rank() {
        return (int) a.columns();
    }

    public int rows() {
        return (int) a.rows();
    }

    public int cols() {
        return (int) b.columns();
    }

    /** Numbers stored: {@code k (m + n)} (§2.4). */
    public long stored() {
        return RankFromRatio.stored(rows(), cols(), rank());
    }

    /** The dense product {@code A B}, computed by {@code linalg} (for evaluation, §3.5, and tests). */
    public INDArray product(LinearAlgebra linalg) {
        return linalg.matmul(a, false, b, false);
    }

    /** Both factors cast to FLOAT, the model's storage type. */
    public LowRankFactors asFloat() {
        return new LowRankFactors(a.castTo(DataType.FLOAT), b.castTo(DataType.FLOAT));
    }

    /**
     * {@code [A1 | A2]} and {@code [B1 ; B2]}: one pair whose product is {@code A1 B1 + A2 B2} (§4.7).
     */
    public LowRankFactors concat(LowRankFactors other) {
        if (other.rows() != rows() || other.cols() != cols()) {
            throw new IllegalArgumentException("cannot stack factors of a " + rows() + " x " + cols() + " and a "
                    + other.rows() + " x " + other.cols() + " matrix");
        }
        INDArray aa = org.nd4j.linalg.factory.Nd4j.hstack(a, other.a.castTo(a.dataType()));
        INDArray bb = org.nd4j.linalg.factory.Nd4j.vstack(b, other.b.castTo(b.dataType()));
        return new LowRankFactors(aa, bb);
    }
}
