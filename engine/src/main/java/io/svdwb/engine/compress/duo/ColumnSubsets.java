package io.svdwb.engine.compress.duo;

import java.util.Arrays;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Column gathers and scatters for the column-preserving split (docs/METHODS.md §4.6 step 4): {@code W[:, R]},
 * {@code H[R, R]}, and back. Plain index copies through a DoubleIndexer on row-major DOUBLE arrays; ND4J's
 * own {@code getColumns} copies one column view at a time, which is far slower for thousands of columns.
 * Stateless.
 */
final class ColumnSubsets {

    private ColumnSubsets() {
    }

    /** The indices in {@code [0, n)} that are not in {@code kept} (which must be sorted), ascending. */
    static int[] complement(int n, int[] kept) {
        int[] rest = new int[n - kept.length];
        int next = 0;
        int r = 0;
        for (int j = 0; j < n; j++) {
            if (next < kept.length && kept[next] == j) {
                next++;
            } else {
                rest[r++] = j;
            }
        }
        if (next != kept.length || r != rest.length) {
            throw new IllegalArgumentException("kept columns " + Arrays.toString(kept) + " are not sorted, distinct indices below " + n);
        }
        return rest;
    }

    /** {@code x[:, cols]} as a new row-major DOUBLE array (x: DOUBLE). */
    static INDArray columns(INDArray x, int[] cols) {
        INDArray src = rowMajor(x);
        int rows = (int) src.rows();
        long width = src.columns();
        INDArray out = Nd4j.create(DataType.DOUBLE, rows, cols.length);
        DoubleIndexer in = (DoubleIndexer) src.data().indexer();
        DoubleIndexer to = (DoubleIndexer) out.data().indexer();
        for (int i = 0; i < rows; i++) {
            long base = i * width;
            long outBase = (long) i * cols.length;
            for (int c = 0; c < cols.length; c++) {
                to.put(outBase + c, in.get(base + cols[c]));
            }
        }
        return out;
    }

    /** The principal sub-matrix {@code h[idx, idx]} as a new row-major DOUBLE array (h: DOUBLE, square). */
    static INDArray principalBlock(INDArray h, int[] idx) {
        INDArray src = rowMajor(h);
        long width = src.columns();
        INDArray out = Nd4j.create(DataType.DOUBLE, idx.length, idx.length);
        DoubleIndexer in = (DoubleIndexer) src.data().indexer();
        DoubleIndexer to = (DoubleIndexer) out.data().indexer();
        for (int r = 0; r < idx.length; r++) {
            long base = idx[r] * width;
            long outBase = (long) r * idx.length;
            for (int c = 0; c < idx.length; c++) {
                to.put(outBase + c, in.get(base + idx[c]));
            }
        }
        return out;
    }

    /** Writes the columns of {@code source} into columns {@code cols} of {@code target} (row-major DOUBLE, not a view). */
    static void scatterColumns(INDArray target, int[] cols, INDArray source) {
        INDArray src = rowMajor(source);
        long width = target.columns();
        DoubleIndexer in = (DoubleIndexer) src.data().indexer();
        DoubleIndexer to = (DoubleIndexer) target.data().indexer();
        for (int i = 0; i < target.rows(); i++) {
            for (int c = 0; c < cols.length; c++) {
                to.put(i * width + cols[c], in.get((long) i * cols.length + c));
            }
        }
    }

    /** The diagonal of a square DOUBLE matrix. */
    static double[] diagonal(INDArray h) {
        INDArray src = rowMajor(h);
        int n = (int) src.rows();
        DoubleIndexer in = (DoubleIndexer) src.data().indexer();
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = in.get((long) i * n + i);
        }
        return d;
    }

    /** A DOUBLE, row-major, offset-free array with x's values (x itself when it already is one). */
    static INDArray rowMajor(INDArray x) {
        INDArray d = x.dataType() == DataType.DOUBLE ? x : x.castTo(DataType.DOUBLE);
        return d.ordering() == 'c' && !d.isView() && d.offset() == 0 ? d : d.dup('c');
    }
}
