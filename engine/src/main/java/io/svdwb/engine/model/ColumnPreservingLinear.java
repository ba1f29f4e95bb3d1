package io.svdwb.engine.model;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.tensor.NdArrays;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Duo-SVD's column-preserving replacement (docs/METHODS.md §3.5, §4.6 step 4): the q input columns C of W are
 * kept exactly in {@code C} [out, q], the other columns R are approximated by {@code A B} (A [out, kc],
 * B [kc, in - q]). Computes {@code y = A (B x[R]) + C x[C] + b} without forming the dense product. Stores
 * {@code kc (out + in - q) + out q} numbers (§2.4; the index list is not counted). Both index lists are
 * ascending, so the gathers of x match the column order used at compression time (§4.6 "sorted indices").
 */
public final class ColumnPreservingLinear implements Linear {

    private final INDArray a;
    private final INDArray b;
    private final INDArray c;
    private final int[] keptColumns;
    private final int[] restColumns;
    private final INDArray bias;
    private final LinearAlgebra linalg;

    /**
     * @param keptColumns C: strictly ascending indices in [0, in), at least one and fewer than in
     * @throws IllegalArgumentException if the shapes do not chain or the indices are not as above
     */
    public ColumnPreservingLinear(INDArray a, INDArray b, INDArray c, int[] keptColumns, INDArray bias, LinearAlgebra linalg) {
        if (a.rank() != 2 || b.rank() != 2 || c.rank() != 2 || a.columns() != b.rows() || c.rows() != a.rows()) {
            throw new IllegalArgumentException("factors must be A [out, kc], B [kc, in - q] and C [out, q], got "
                    + Arrays.toString(a.shape()) + ", " + Arrays.toString(b.shape()) + " and " + Arrays.toString(c.shape()));
        }
        int in = (int) (b.columns() + c.columns());
        if (keptColumns.length != c.columns() || keptColumns.length == 0 || b.columns() == 0) {
            throw new IllegalArgumentException(keptColumns.length + " kept column indices for C with " + c.columns()
                    + " columns and B with " + b.columns() + "; need 1 <= q < in");
        }
        this.keptColumns = keptColumns.clone();
        this.restColumns = complement(in, this.keptColumns);
        if (bias != null && bias.length() != a.rows()) {
            throw new IllegalArgumentException("bias has " + bias.length() + " entries, A has " + a.rows() + " rows");
        }
        this.a = a;
        this.b = b;
        this.c = c;
        this.bias = bias == null ? null : bias.reshape(1, a.rows());
        this.linalg = linalg;
    }

    /** The indices in [0, in) not in {@code kept}; refuses unsorted, repeated or out-of-range indices. */
    static int[] complement(int in, int[] kept) {
        boolean[] isKept = new boolean[in];
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] < 0 || kept[i] >= in || (i > 0 && kept[i] <= kept[i - 1])) {
                throw new IllegalArgumentException("kept column indices must be strictly ascending in [0, " + in + "), got "
                        + Arrays.toString(kept));
            }
            isKept[kept[i]] = true;
        }
        int[] rest = new int[in - kept.length];
        int r = 0;
        for (int j = 0; j < in; j++) {
            if (!isKept[j]) {
                rest[r++] = j;
            }
        }
        return rest;
    }

    @Override
    public INDArray forward(INDArray x) {
        float[] values = NdArrays.toFloats(x);
        int tokens = (int) x.rows();
        INDArray xRest = gather(values, tokens, inFeatures(), restColumns);
        INDArray xKept = gather(values, tokens, inFeatures(), keptColumns);
        INDArray inner = linalg.matmul(xRest, false, b, true);
        INDArray y = linalg.matmul(inner, false, a, true);
        INDArray kept = linalg.matmul(xKept, false, c, true);
        y.addi(kept);
        for (INDArray temporary : new INDArray[] {xRest, xKept, inner, kept}) {
            temporary.close();
        }
        return bias == null ? y : y.addiRowVector(bias);
    }

    /** x[:, cols] of a row-major [tokens, width] float matrix, as a new FLOAT array. */
    private static INDArray gather(float[] x, int tokens, int width, int[] cols) {
        float[] out = new float[tokens * cols.length];
        for (int t = 0; t < tokens; t++) {
            int base = t * width;
            int outBase = t * cols.length;
            for (int j = 0; j < cols.length; j++) {
                out[outBase + j] = x[base + cols[j]];
            }
        }
        return NdArrays.fromFloats(out, tokens, cols.length);
    }

    /**
     * W' [out, in] as one FLOAT matrix: A·B in the columns R, C in the columns C (for the dense export and
     * for checks; the forward pass never forms it).
     */
    public INDArray denseWeight() {
        float[] product = NdArrays.toFloats(linalg.matmul(a, false, b, false));
        float[] kept = NdArrays.toFloats(c);
        int out = outFeatures();
        int in = inFeatures();
        float[] w = new float[out * in];
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < restColumns.length; j++) {
                w[i * in + restColumns[j]] = product[i * restColumns.length + j];
            }
            for (int j = 0; j < keptColumns.length; j++) {
                w[i * in + keptColumns[j]] = kept[i * keptColumns.length + j];
            }
        }
        return NdArrays.fromFloats(w, out, in);
    }

    /** kc, the rank of the low-rank part. */
    public int rank() {
        return (int) a.columns();
    }

    public INDArray a() {
        return a;
    }

    public INDArray b() {
        return b;
    }

    /** The exact columns W[:, C], [out, q]. */
    public INDArray c() {
        return c;
    }

    /** C, ascending. */
    public int[] keptColumns() {
        return keptColumns.clone();
    }

    /** R, ascending: the columns B acts on. */
    public int[] restColumns() {
        return restColumns.clone();
    }

    public INDArray bias() {
        return bias;
    }

    @Override
    public int inFeatures() {
        return keptColumns.length + restColumns.length;
    }

    @Override
    public int outFeatures() {
        return (int) a.rows();
    }

    @Override
    public long storedWeightParameters() {
        return a.length() + b.length() + c.length();
    }
}
