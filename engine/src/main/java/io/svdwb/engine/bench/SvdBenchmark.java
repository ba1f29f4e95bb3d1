package io.svdwb.engine.bench;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.linalg.SvdResult;
import io.svdwb.engine.progress.ProgressListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_FDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F32;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Times the engine's SVD ({@link LinearAlgebra#svd}, LAPACKE gesdd) against ND4J's own
 * {@code Lapack.gesvd} and against EJML's pure-Java float SVD, on the same seeded random float32
 * matrix per shape and in the same run, so each backend is reported as a ratio to the engine measured
 * alongside it (absolute timings on a shared 2-core VM vary by up to 2.5x between runs).
 *
 * <p>Each timing covers one SVD call from a matrix already held in the backend's own format, including
 * the working copy and output buffers it needs: the engine copies to column-major inside {@code svd};
 * ND4J is given a fresh column-major copy (gesvd overwrites its input) and freshly allocated buffers;
 * EJML's U, W and Vᵀ are extracted after {@code decompose}. Every backend's result is checked by its
 * relative reconstruction error ‖A − U diag(s) Vᵀ‖_F / ‖A‖_F, computed in double with ND4J (not with
 * the engine under test); a backend whose error exceeds {@link #MAX_RECONSTRUCTION_ERROR} fails its
 * row. Singular vectors are never compared entry by entry: they are unique only up to sign (and
 * rotation within repeated singular values), so two correct SVDs may differ there.
 */
public final class SvdBenchmark {

    /** Largest relative reconstruction error a float32 SVD may have before its row is failed. */
    public static final double MAX_RECONSTRUCTION_ERROR = 1e-3;

    /** The shapes of the issue: three squares and one LLaMA-7B-like MLP shape (2048 x 5632). */
    public static final List<Shape> DEFAULT_SHAPES =
            List.of(new Shape(512, 512), new Shape(1024, 1024), new Shape(2048, 2048), new Shape(2048, 5632));

    public enum Backend {
        ENGINE("engine gesdd"), ND4J("nd4j gesvd"), EJML("ejml");

        private final String label;

        Backend(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** Parses "engine", "nd4j" or "ejml" (any case). */
        public static Backend parse(String name) {
            for (Backend b : values()) {
                if (b.name().equalsIgnoreCase(name.trim())) {
                    return b;
                }
            }
            throw new IllegalArgumentException("unknown SVD backend '" + name + "' (expected engine, nd4j or ejml)");
        }
    }

    /** A matrix shape, rows x columns. */
    public record Shape(int rows, int columns) {

        public Shape {
            if (rows < 1 || columns < 1) {
                throw new IllegalArgumentException("a shape needs at least one row and one column: " + rows + "x" + columns);
            }
        }

        /** "N" for an N x N square or "MxN". */
        public static Shape parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            try {
                int x = t.indexOf('x');
                if (x < 0) {
                    int n = Integer.parseInt(t);
                    return new Shape(n, n);
                }
                return new Shape(Integer.parseInt(t.substring(0, x)), Integer.parseInt(t.substring(x + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad matrix size '" + text + "' (expected N or MxN, e.g. 2048x5632)");
            }
        }

        /** A proxy for the cost of a full SVD, used to decide which shapes are "larger". */
        long work() {
            return (long) rows * columns * Math.max(rows, columns);
        }

        @Override
        public String toString() {
            return rows + "x" + columns;
        }
    }

    public enum Status { OK, FAILED, SKIPPED, SKIPPED_OVER_LIMIT }

    /**
     * One backend on one shape. Seconds and the error are null unless the backend ran; {@code runs} is
     * the number of timed runs done (fewer than asked once a run exceeded the time limit).
     *
     * @param medianSeconds median of the timed runs (the value the ratios use)
     * @param message       why the backend failed or was skipped; null when OK
     */
    public record Timing(Backend backend, Status status, Double medianSeconds, Double minSeconds, int runs,
                         Double reconstructionError, String message) {

        static Timing skipped(Backend backend, Status status, String message) {
            return new Timing(backend, status, null, null, 0, null, message);
        }
    }

    /**
     * One shape: the three backends and the ratios of their median times to the engine's (null where
     * either side has no valid time). {@code failure} names every failed backend; null if none failed.
     */
    public record Row(Shape shape, Timing engine, Timing nd4j, Timing ejml, Double nd4jOverEngine,
                      Double ejmlOverEngine, String failure) {
    }

    /**
     * @param maxSeconds per-run limit after which ND4J or EJML is skipped on shapes at least as large;
     *                   null when there is no limit
     */
    public record Result(String engineBackend, int repeats, Double maxSeconds, long seed, Shape warmupShape,
                         List<Row> rows) {

        public boolean allPassed() {
            return rows.stream().allMatch(r -> r.failure() == null);
        }
    }

    private final LinearAlgebra engine;
    private final long seed;

    public SvdBenchmark(LinearAlgebra engine, long seed) {
        if (engine == null) {
            throw new IllegalArgumentException("a LinearAlgebra is required");
        }
        this.engine = engine;
        this.seed = seed;
    }

    /**
     * Runs one untimed warm-up of every backend not skipped on the smallest shape, then {@code repeats}
     * timed runs per backend per shape, shapes in the order given.
     *
     * @param skip       backends not to run (the engine is the baseline and cannot be skipped)
     * @param maxSeconds once one run of ND4J or EJML takes longer, that backend's remaining runs on the
     *                   shape and its runs on every later shape of at least the same size are skipped;
     *                   {@code Double.POSITIVE_INFINITY} for no limit. The engine, the baseline of the
     *                   ratios, always runs.
     */
    public Result run(List<Shape> shapes, int repeats, Set<Backend> skip, double maxSeconds, ProgressListener progress) {
        if (shapes.isEmpty()) {
            throw new IllegalArgumentException("at least one matrix size is required");
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be at least 1");
        }
        if (!(maxSeconds > 0)) {
            throw new IllegalArgumentException("max seconds must be positive");
        }
        if (skip.contains(Backend.ENGINE)) {
            throw new IllegalArgumentException("the engine is the baseline of every ratio and cannot be skipped");
        }
        List<Backend> active = Arrays.stream(Backend.values()).filter(b -> !skip.contains(b)).toList();
        Shape smallest = shapes.stream().min(Comparator.comparingLong(Shape::work)).orElseThrow();

        progress.begin("SVD warm-up (" + smallest + ")", active.size());
        INDArray warm = randomMatrix(smallest);
        for (int i = 0; i < active.size(); i++) {
            progress.throwIfCancelled();
            try {
                decompose(active.get(i), warm);
            } catch (RuntimeException e) {
                // A backend that fails here fails again in its timed runs, which report it per shape.
            }
            progress.advanceTo(i + 1);
        }
        progress.end();

        // Per backend, the smallest work at which one run exceeded maxSeconds.
        Map<Backend, Long> overLimitFrom = new EnumMap<>(Backend.class);
        List<Row> rows = new ArrayList<>();
        long done = 0;
        progress.begin("SVD benchmark", (long) shapes.size() * Backend.values().length);
        for (Shape shape : shapes) {
            INDArray a = randomMatrix(shape);
            Map<Backend, Timing> timings = new EnumMap<>(Backend.class);
            for (Backend backend : Backend.values()) {
                progress.throwIfCancelled();
                Long limitWork = overLimitFrom.get(backend);
                Timing t;
                if (skip.contains(backend)) {
                    t = Timing.skipped(backend, Status.SKIPPED, "skipped (--skip)");
                } else if (limitWork != null && shape.work() >= limitWork) {
                    t = Timing.skipped(backend, Status.SKIPPED_OVER_LIMIT, "skipped (over " + formatSeconds(maxSeconds) + " s)");
                } else {
                    // The engine is the baseline of every ratio: the limit never stops it.
                    double limit = backend == Backend.ENGINE ? Double.POSITIVE_INFINITY : maxSeconds;
                    Measured measured = time(backend, a, repeats, limit);
                    t = measured.timing();
                    if (measured.overLimit()) {
                        overLimitFrom.merge(backend, shape.work(), Math::min);
                    }
                }
                timings.put(backend, t);
                progress.advanceTo(++done);
            }
            rows.add(row(shape, timings));
        }
        progress.end();
        return new Result(engine.name(), repeats, Double.isInfinite(maxSeconds) ? null : maxSeconds, seed, smallest, rows);
    }

    private static Row row(Shape shape, Map<Backend, Timing> t) {
        Timing e = t.get(Backend.ENGINE);
        Timing n = t.get(Backend.ND4J);
        Timing j = t.get(Backend.EJML);
        List<String> failures = new ArrayList<>();
        for (Timing x : List.of(e, n, j)) {
            if (x.status() == Status.FAILED) {
                failures.add(x.backend().label() + ": " + x.message());
            }
        }
        return new Row(shape, e, n, j, ratio(n, e), ratio(j, e), failures.isEmpty() ? null : String.join("; ", failures));
    }

    private static Double ratio(Timing numerator, Timing baseline) {
        if (numerator.status() != Status.OK || baseline.status() != Status.OK) {
            return null;
        }
        return numerator.medianSeconds() / baseline.medianSeconds();
    }

    /** A timing and whether one of its runs took longer than the limit. */
    private record Measured(Timing timing, boolean overLimit) {
    }

    private Measured time(Backend backend, INDArray a, int repeats, double maxSeconds) {
        double[] seconds = new double[repeats];
        int runs = 0;
        Decomposition first = null;
        boolean overLimit = false;
        try {
            while (runs < repeats && !overLimit) {
                long start = System.nanoTime();
                Decomposition d = decompose(backend, a);
                seconds[runs] = (System.nanoTime() - start) / 1e9;
                overLimit = seconds[runs] > maxSeconds;
                runs++;
                if (first == null) {
                    first = d;
                }
            }
        } catch (RuntimeException e) {
            return new Measured(new Timing(backend, Status.FAILED, null, null, runs, null,
                    "threw " + e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "")), false);
        }
        double[] sorted = Arrays.copyOf(seconds, runs);
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        double error = first.reconstructionError(a);
        if (!(error <= MAX_RECONSTRUCTION_ERROR)) {
            return new Measured(new Timing(backend, Status.FAILED, median, sorted[0], runs, error,
                    String.format(Locale.ROOT, "reconstruction error %.3e exceeds %.0e", error, MAX_RECONSTRUCTION_ERROR)),
                    overLimit);
        }
        String note = runs < repeats ? "stopped after a run over the limit (" + runs + " of " + repeats + " runs)" : null;
        return new Measured(new Timing(backend, Status.OK, median, sorted[0], runs, error, note), overLimit);
    }

    /** The float32 matrix of a shape: uniform in [-1, 1), from this benchmark's seed, row-major. */
    INDArray randomMatrix(Shape shape) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[Math.multiplyExact(shape.rows(), shape.columns())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return Nd4j.create(values, new long[] {shape.rows(), shape.columns()}, 'c');
    }

    private Decomposition decompose(Backend backend, INDArray a) {
        return switch (backend) {
            case ENGINE -> engine(a);
            case ND4J -> nd4j(a);
            case EJML -> ejml(a);
        };
    }

    private Decomposition engine(INDArray a) {
        SvdResult r = engine.svd(a);
        return new Decomposition(r.u(), r.s(), r.vt());
    }

    /**
     * ND4J's {@code Lapack.gesvd} always asks LAPACK for the full SVD (jobu = jobvt = 'A'), so U must
     * be m x m and VT n x n: with economy-size buffers (m x k, k x n) ND4J 1.0.0-M2.1 lets LAPACK write
     * past them and corrupts memory (wrong results or a SIGSEGV in OpenBLAS; docs/STACK.md).
     * A, U and VT are all column-major, as ND4J takes the layout from A and the leading dimensions from
     * each array. The first k columns of U and rows of VT are the thin SVD.
     */
    private static Decomposition nd4j(INDArray a) {
        int m = (int) a.rows();
        int n = (int) a.columns();
        int k = Math.min(m, n);
        INDArray work = a.dup('f');
        INDArray s = Nd4j.createUninitialized(DataType.FLOAT, new long[] {k}, 'c');
        INDArray u = Nd4j.createUninitialized(DataType.FLOAT, new long[] {m, m}, 'f');
        INDArray vt = Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, n}, 'f');
        Nd4j.getBlasWrapper().lapack().gesvd(work, s, u, vt);
        return new Decomposition(u.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k)), s,
                vt.get(NDArrayIndex.interval(0, k), NDArrayIndex.all()));
    }

    /** EJML's float SVD (single-threaded, compact): decompose, then extract U (m x k), W and Vᵀ (k x n). */
    private static Decomposition ejml(INDArray a) {
        int m = (int) a.rows();
        int n = (int) a.columns();
        INDArray rowMajor = a.ordering() == 'c' && !a.isView() ? a : a.dup('c');
        FMatrixRMaj matrix = FMatrixRMaj.wrap(m, n, rowMajor.data().asFloat());
        SingularValueDecomposition_F32<FMatrixRMaj> svd = DecompositionFactory_FDRM.svd(m, n, true, true, true);
        if (!svd.decompose(svd.inputModified() ? matrix.copy() : matrix)) {
            throw new IllegalStateException("EJML's SVD did not converge");
        }
        FMatrixRMaj u = svd.getU(null, false);
        FMatrixRMaj vt = svd.getV(null, true);
        int k = svd.numberOfSingularValues();
        float[] s = Arrays.copyOf(svd.getSingularValues(), k);
        return new Decomposition(
                Nd4j.create(Arrays.copyOf(u.data, u.numRows * u.numCols), new long[] {u.numRows, u.numCols}, 'c'),
                Nd4j.create(s, new long[] {k}, 'c'),
                Nd4j.create(Arrays.copyOf(vt.data, vt.numRows * vt.numCols), new long[] {vt.numRows, vt.numCols}, 'c'));
    }

    /** A thin SVD from any backend: u m x k, s k (any order), vt k x n. */
    private record Decomposition(INDArray u, INDArray s, INDArray vt) {

        /** ‖A − U diag(s) Vᵀ‖_F / ‖A‖_F, in double so that the check adds no float rounding of its own. */
        double reconstructionError(INDArray a) {
            INDArray a64 = a.castTo(DataType.DOUBLE);
            INDArray us = u.castTo(DataType.DOUBLE).mulRowVector(s.castTo(DataType.DOUBLE).reshape(1, s.length()));
            INDArray diff = a64.sub(us.mmul(vt.castTo(DataType.DOUBLE)));
            return diff.norm2Number().doubleValue() / a64.norm2Number().doubleValue();
        }
    }

    /** Seconds as the user would type them: 60, 0.5. */
    public static String formatSeconds(double s) {
        return java.math.BigDecimal.valueOf(s).stripTrailingZeros().toPlainString();
    }
}
