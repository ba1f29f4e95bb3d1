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

    private static final long SCAN_CHUNK = 1 << 20;

    private static void scan(INDArray dense, String label, String what, boolean result) {
        long n = dense.length();
        boolean columnMajor = dense.rank() == 2 && dense.ordering() == 'f';
        long cols = dense.rank() == 2 ? dense.columns() : n;
        long rows = dense.rank() == 2 ? dense.rows() : 1;
        // chunks scanned on all cores; the first non-finite element of the first chunk that has one is reported, so the
        // message names the same element as a sequential scan would
        boolean single = dense.dataType() == DataType.FLOAT;
        FloatIndexer floats = single ? (FloatIndexer) dense.data().indexer() : null;
        DoubleIndexer doubles = single ? null : (DoubleIndexer) dense.data().indexer();
        long chunks = (n + SCAN_CHUNK - 1) / SCAN_CHUNK;
        long bad = java.util.stream.LongStream.range(0, chunks).parallel().map(chunk -> {
            long end = Math.min(n, (chunk + 1) * SCAN_CHUNK);
            for (long i = chunk * SCAN_CHUNK; i < end; i++) {
                if (single ? !Float.isFinite(floats.get(i)) : !Double.isFinite(doubles.get(i))) {
                    return i;
                }
            }
            return Long.MAX_VALUE;
        }).min().orElse(Long.MAX_VALUE);
        if (bad == Long.MAX_VALUE) {
            bad = -1;
        }
        double value = bad < 0 ? 0 : single ? floats.get(bad) : doubles.get(bad);
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
