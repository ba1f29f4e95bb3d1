package io.svdwb.engine.compress.kernels;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Argument and finiteness checks shared by the kernels; messages name the matrix (docs/METHODS.md §6). */
final class KernelChecks {

    private KernelChecks() {
    }

    static void requireLabel(String label) {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("a label naming the matrix is required (for error messages and logs)");
        }
    }

    static void requireMatrix(INDArray x, String label, String what) {
        if (x == null) {
            throw new IllegalArgumentException(label + ": " + what + " is null");
        }
        if (x.rank() != 2 || x.rows() == 0 || x.columns() == 0) {
            throw new IllegalArgumentException(label + ": " + what + " must be a non-empty 2-D matrix, got shape "
                    + java.util.Arrays.toString(x.shape()));
        }
        if (x.dataType() != DataType.FLOAT && x.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException(label + ": " + what + " must be FLOAT or DOUBLE, got " + x.dataType());
        }
    }

    /** A DOUBLE copy or the array itself when it already is DOUBLE (never modified by the kernels). */
    static INDArray asDouble(INDArray x) {
        return x.dataType() == DataType.DOUBLE ? x : x.castTo(DataType.DOUBLE);
    }

    /**
     * Fails with a message naming the matrix and the first offending position on a NaN or infinity.
     * Inputs get an IllegalArgumentException; results ({@code result = true}) an
     * {@link NonFiniteResultException}: a decomposition never hands on garbage factors.
     */
    static void requireFinite(INDArray x, String label, String what, boolean result) {
        // A whole array is checked in its own buffer, whatever its order: a copy of LAPACK's column-major U would be
        // hundreds of MB at 7B widths, for nothing. Only a view is copied (and the copy freed).
        boolean whole = !x.isView() && x.offset() == 0 && x.data().length() == x.length();
        INDArray dense = whole ? x : x.dup('c');
        try {
            scan(dense, label, what, result);
        } finally {
            if (dense != x) {
                dense.close();
            }
        }
    }

    private static void scan(INDArray dense, String label, String what, boolean result) {
        long n = dense.length();
        boolean columnMajor = dense.rank() == 2 && dense.ordering() == 'f';
        long cols = dense.rank() == 2 ? dense.columns() : n;
        long rows = dense.rank() == 2 ? dense.rows() : 1;
        long bad = -1;
        double value = 0;
        if (dense.dataType() == DataType.FLOAT) {
            FloatIndexer values = (FloatIndexer) dense.data().indexer();
            for (long i = 0; i < n; i++) {
                if (!Float.isFinite(values.get(i))) {
                    bad = i;
                    value = values.get(i);
                    break;
                }
            }
        } else {
            DoubleIndexer values = (DoubleIndexer) dense.data().indexer();
            for (long i = 0; i < n; i++) {
                if (!Double.isFinite(values.get(i))) {
                    bad = i;
                    value = values.get(i);
                    break;
                }
            }
        }
        if (bad >= 0) {
            String where = dense.rank() != 2 ? "index " + bad
                    : columnMajor ? "(" + bad % rows + ", " + bad / rows + ")" : "(" + bad / cols + ", " + bad % cols + ")";
            String msg = label + ": " + what + " contains a non-finite value (" + value + ") at " + where;
            if (result) {
                throw new NonFiniteResultException(msg + "; refusing to produce factors");
            }
            throw new IllegalArgumentException(msg);
        }
    }

    static double[] requirePositiveFinite(double[] d, String label, String what) {
        if (d == null || d.length == 0) {
            throw new IllegalArgumentException(label + ": " + what + " is empty");
        }
        for (int i = 0; i < d.length; i++) {
            if (!(Double.isFinite(d[i]) && d[i] > 0)) {
                throw new IllegalArgumentException(label + ": " + what + "[" + i + "] = " + d[i]
                        + " is not a positive finite number");
            }
        }
        return d;
    }
}
