package io.svdwb.cuda;

import static io.svdwb.engine.linalg.DenseMatrices.dim;
import static io.svdwb.engine.linalg.DenseMatrices.freshCopy;
import static io.svdwb.engine.linalg.DenseMatrices.isDense;
import static io.svdwb.engine.linalg.DenseMatrices.requireFinite;
import static io.svdwb.engine.linalg.DenseMatrices.requireMatrix;
import static io.svdwb.engine.linalg.DenseMatrices.requireNonEmpty;
import static io.svdwb.engine.linalg.DenseMatrices.requireSquare;
import static io.svdwb.engine.linalg.DenseMatrices.rowMajorContiguous;

import io.svdwb.engine.linalg.EigenResult;
import io.svdwb.engine.linalg.GramSvd;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.linalg.LinearAlgebraException;
import io.svdwb.engine.linalg.NotPositiveDefiniteException;
import io.svdwb.engine.linalg.ResidentMatrix;
import io.svdwb.engine.linalg.SvdResult;
import io.svdwb.engine.progress.StageClock;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link LinearAlgebra} on an NVIDIA GPU through cuBLAS and cuSOLVER, bound with the Foreign Function API (no jar, no
 * JNI; docs/GPU.md says why not ND4J's CUDA build or bytedeco's preset). Operands arrive as host arrays: each call
 * uploads them, computes on the device and downloads the result, so it is a drop-in backend for every caller of the
 * interface; keeping a layer's weights resident across calls is the next step (issue 13).
 *
 * <p>cuBLAS and cuSOLVER are column-major; a row-major host array is handed over as the column-major transpose it is
 * byte for byte, and each operation is rewritten for that (C = A B as Cᵀ = Bᵀ Aᵀ; the lower triangle of a row-major
 * symmetric matrix is the upper one of its column-major view), so no transposing copy is made on either side.
 * Calls are serialised on one cuBLAS and one cuSOLVER handle.
 */
public final class CudaLinearAlgebra implements LinearAlgebra, io.svdwb.engine.model.DeviceLayers,
        io.svdwb.engine.calibration.StatisticsOnDevice, AutoCloseable {

    private final int device;
    private final CudaRuntime runtime;
    private final Cublas cublas;
    private final Cusolver cusolver;
    private final String libraries;
    private final boolean tf32;
    private final List<Path> directories;
    private LayerKernels kernels;
    private String kernelsUnavailable;

    private CudaLinearAlgebra(int device, CudaRuntime runtime, Cublas cublas, Cusolver cusolver, String libraries,
            List<Path> directories, boolean tf32) {
        this.directories = List.copyOf(directories);
        this.tf32 = tf32;
        this.device = device;
        this.runtime = runtime;
        this.cublas = cublas;
        this.cusolver = cusolver;
        this.libraries = libraries;
    }

    /** The GPU {@code device} with the CUDA libraries from {@link #libraryDirectories()} or the loader's path. */
    public static CudaLinearAlgebra open(int device) {
        return open(device, libraryDirectories());
    }

    /**
     * The GPU {@code device} with libcudart.so.13, libcublas.so.13 and libcusolver.so.12 from the first of
     * {@code directories} that holds each (else the loader's path).
     *
     * @throws CudaUnavailableException when a library or symbol is missing or there is no such device
     */
    public static CudaLinearAlgebra open(int device, List<Path> directories) {
        NativeLibrary cudart = NativeLibrary.open("libcudart.so.13", directories);
        NativeLibrary cublasLibrary = NativeLibrary.open("libcublas.so.13", directories);
        NativeLibrary cusolverLibrary = NativeLibrary.open("libcusolver.so.12", directories);
        CudaRuntime runtime = new CudaRuntime(cudart);
        int count = runtime.deviceCount();
        if (device < 0 || device >= count) {
            throw new CudaUnavailableException("no CUDA device " + device + ": the driver reports " + count);
        }
        runtime.setDevice(device);
        Cublas cublas = new Cublas(cublasLibrary);
        boolean tf32 = tf32Requested();
        cublas.useTf32(tf32);
        Cusolver cusolver = new Cusolver(cusolverLibrary, runtime);
        return new CudaLinearAlgebra(device, runtime, cublas, cusolver,
                String.join(", ", cudart.location(), cublasLibrary.location(), cusolverLibrary.location()), directories, tf32);
    }

    /** The number of CUDA devices the driver reports, loading only the runtime library. */
    static int countDevices(List<Path> directories) {
        return new CudaRuntime(NativeLibrary.open("libcudart.so.13", directories)).deviceCount();
    }

    /**
     * Whether float32 products may use TF32 tensor cores [OURS: off by default; results then agree with the CPU's to
     * float32 rounding]: -Dsvdwb.cuda.tf32=true or SVDWB_CUDA_TF32=1.
     */
    static boolean tf32Requested() {
        return Boolean.parseBoolean(System.getProperty("svdwb.cuda.tf32", "1".equals(System.getenv("SVDWB_CUDA_TF32")) ? "true" : "false"));
    }

    /** SVDWB_CUDA_LIBRARY_PATH (or the system property svdwb.cuda.libraryPath), folders separated by ':'. */
    public static List<Path> libraryDirectories() {
        String path = System.getProperty("svdwb.cuda.libraryPath", System.getenv("SVDWB_CUDA_LIBRARY_PATH"));
        if (path == null || path.isBlank()) {
            return List.of();
        }
        return Arrays.stream(path.split(":")).filter(s -> !s.isBlank()).map(Path::of).toList();
    }

    @Override
    public String name() {
        return "cuda:" + device + " (cuBLAS/cuSOLVER" + (tf32 ? ", TF32 products" : "") + ")";
    }

    /** Where the three CUDA libraries were loaded from. */
    public String libraries() {
        return libraries;
    }

    public CudaRuntime runtime() {
        return runtime;
    }

    Cublas cublasForTests() {
        return cublas;
    }

    /** As the product with a resident {@code b}, {@code b} made resident for this call only. */
    @Override
    public synchronized INDArray matmul(INDArray a, boolean transposeA, INDArray b, boolean transposeB) {
        long[] shape = io.svdwb.engine.linalg.DenseMatrices.productShape(a, transposeA, b, transposeB);
        INDArray empty = emptyOrZeroProduct(a.dataType(), shape[0], shape[1], shape[2]);
        if (empty != null) {
            return empty; // an empty b has no memory to upload
        }
        try (ResidentMatrix onDevice = resident(b)) {
            return matmul(a, transposeA, onDevice, transposeB);
        }
    }

    /** Uploads {@code matrix} once (row-major, as on the host) for products that read it many times. */
    @Override
    public synchronized ResidentMatrix resident(INDArray matrix) {
        requireMatrix(matrix, "resident matrix");
        INDArray dense = rowMajorContiguous(matrix);
        DeviceMatrix resident = new DeviceMatrix(this, upload(dense), matrix.rows(), matrix.columns(), single(matrix));
        Reference.reachabilityFence(dense);
        return resident;
    }

    @Override
    public synchronized INDArray matmul(INDArray a, boolean transposeA, ResidentMatrix b, boolean transposeB) {
        if (!(b instanceof DeviceMatrix device) || device.owner() != this) {
            throw new IllegalArgumentException(name() + " cannot read a matrix resident elsewhere (" + b.location() + ")");
        }
        requireMatrix(a, "matmul operand a");
        if (single(a) != device.single()) {
            throw new IllegalArgumentException("matmul operands differ in data type: " + a.dataType() + " vs "
                    + (device.single() ? "FLOAT" : "DOUBLE"));
        }
        long m = transposeA ? a.columns() : a.rows();
        long k = transposeA ? a.rows() : a.columns();
        long kb = transposeB ? device.columns() : device.rows();
        long n = transposeB ? device.rows() : device.columns();
        if (k != kb) {
            throw new IllegalArgumentException("matmul inner dimensions differ: op(a) is " + m + " x " + k + ", op(b) is "
                    + kb + " x " + n + " (b resident " + device.rows() + " x " + device.columns()
                    + (transposeB ? " transposed" : "") + ")");
        }
        INDArray c = emptyOrZeroProduct(a.dataType(), m, k, n);
        if (c != null) {
            return c;
        }
        c = Nd4j.createUninitialized(a.dataType(), new long[] {m, n}, 'c');
        INDArray ad = rowMajorContiguous(a);
        try (DeviceBuffer da = upload(ad); DeviceBuffer dc = allocate(c)) {
            // row-major C = op(a) op(b) is column-major Cᵀ = op(b)ᵀ op(a)ᵀ, and each operand's buffer is its transpose
            cublas.gemm(single(a), transposeB ? Cublas.OP_T : Cublas.OP_N, transposeA ? Cublas.OP_T : Cublas.OP_N,
                    dim(n, "columns of op(b)"), dim(m, "rows of op(a)"), dim(k, "inner dimension"), 1,
                    device.address(), ld(device.columns()), da.address(), ld(ad.columns()), 0, dc.address(), ld(n));
            download(dc, c);
        }
        Reference.reachabilityFence(ad);
        return c;
    }

    /**
     * Runs a whole decoder layer on the GPU (activations on the device through the layer) when every projection is
     * dense or low-rank and the layer kernels compiled; otherwise the layer runs on the host with its products here.
     */
    @Override
    public synchronized boolean forward(io.svdwb.engine.model.DecoderLayer layer, float[] hidden, int sequences, int seqLen,
            io.svdwb.engine.model.RotaryEmbedding rope, int layerIndex, io.svdwb.engine.model.ProjectionInputListener listener) {
        CudaStatisticsAccumulator statistics = null;
        if (listener != io.svdwb.engine.model.ProjectionInputListener.NONE) {
            if (!(listener instanceof CudaStatisticsAccumulator mine) || mine.owner() != this) {
                return false; // a listener that wants the inputs on the host
            }
            statistics = mine;
        }
        if (!CudaDecoderLayer.supports(layer) || layerKernels() == null) {
            return false;
        }
        new CudaDecoderLayer(this, runtime, cublas, kernels).forward(layer, hidden, sequences, seqLen, rope, layerIndex, statistics);
        return true;
    }

    /** The layer's statistics on the device, or null (the host's accumulator) where the layer kernels cannot run. */
    @Override
    public synchronized io.svdwb.engine.calibration.StatisticsAccumulator accumulator(int layer) {
        return layerKernels() == null ? null : new CudaStatisticsAccumulator(this, runtime, cublas, kernels, layer);
    }

    /** The layer kernels, compiled on first use; null (said once in the log) where NVRTC or the driver is missing. */
    private LayerKernels layerKernels() {
        if (kernels == null && kernelsUnavailable == null) {
            try {
                kernels = LayerKernels.open(device, directories);
            } catch (CudaUnavailableException | CudaException e) {
                kernelsUnavailable = e.getMessage();
                org.slf4j.LoggerFactory.getLogger(CudaLinearAlgebra.class).warn(
                        "decoder layers run on the host, their products on {}: {}", name(), kernelsUnavailable);
            }
        }
        return kernels;
    }

    /** y[rows, out] = x[rows, in] W^T on the device, W resident here as [out, in]. */
    synchronized void productWithResident(long x, int rows, DeviceMatrix w, long y) {
        if (w.owner() != this || !w.single()) {
            throw new IllegalArgumentException("a float32 matrix resident on " + name() + " is needed");
        }
        int out = dim(w.rows(), "rows of the resident matrix");
        int in = dim(w.columns(), "columns of the resident matrix");
        // row-major Y = X W^T is column-major Y^T = W X^T; W's buffer is column-major W^T, X's is X^T
        cublas.gemm(true, Cublas.OP_T, Cublas.OP_N, out, rows, in, 1, w.address(), ld(in), x, ld(in), 0, y, ld(out));
    }

    /** The product of an empty shape (an empty or an all-zero m x n matrix), or null when there is work to do. */
    private static INDArray emptyOrZeroProduct(DataType type, long m, long k, long n) {
        if (m == 0 || n == 0) {
            return Nd4j.createUninitialized(type, new long[] {m, n}, 'c');
        }
        return k == 0 ? Nd4j.zeros(type, m, n) : null;
    }

    @Override
    public String transferReport() {
        long[] t = runtime.transfers();
        return String.format(java.util.Locale.ROOT, "%d uploads (%.1f MB), %d downloads (%.1f MB)", t[0], t[1] / 1e6, t[2],
                t[3] / 1e6);
    }

    @Override
    public SvdResult svd(INDArray a) {
        return timed(StageClock.Stage.SVD, () -> decompose(a, true));
    }

    @Override
    public SvdResult svdViaGram(INDArray a) {
        return timed(StageClock.Stage.SVD, () -> GramSvd.svd(this, a));
    }

    @Override
    public INDArray singularValues(INDArray a) {
        return decompose(a, false).s();
    }

    /**
     * gesvd needs rows >= columns: a wide row-major A goes as its column-major view Aᵀ (tall), whose U and Vᵀ are A's
     * V and Uᵀ; a tall A goes as a column-major copy of itself.
     */
    private synchronized SvdResult decompose(INDArray a, boolean vectors) {
        String operation = vectors ? "svd" : "singularValues";
        requireMatrix(a, operation + " input");
        requireNonEmpty(a, operation);
        int m = dim(a.rows(), "rows");
        int n = dim(a.columns(), "columns");
        int k = Math.min(m, n);
        boolean wide = n >= m;
        INDArray host = wide ? rowMajorContiguous(a) : (isDense(a, 'f') ? a : freshCopy(a, 'f'));
        requireFinite(host, operation);
        int rows = wide ? n : m;
        int cols = wide ? m : n;
        boolean single = single(a);
        DataType type = a.dataType();
        INDArray s = Nd4j.createUninitialized(type, new long[] {k}, 'c');
        INDArray left = vectors ? Nd4j.createUninitialized(type, new long[] {rows, k}, 'f') : null;
        INDArray right = vectors ? Nd4j.createUninitialized(type, new long[] {k, cols}, 'f') : null;
        try (DeviceBuffer da = upload(host); DeviceBuffer ds = allocate(s);
             DeviceBuffer du = vectors ? allocate(left) : null; DeviceBuffer dvt = vectors ? allocate(right) : null) {
            char job = vectors ? 'S' : 'N';
            int info = cusolver.gesvd(single, job, job, rows, cols, da.address(), rows, ds.address(),
                    vectors ? du.address() : 0, rows, vectors ? dvt.address() : 0, k);
            checkInfo(single ? "cusolverDnSgesvd" : "cusolverDnDgesvd", info, "the SVD (QR iteration) did not converge");
            download(ds, s);
            if (vectors) {
                download(du, left);
                download(dvt, right);
            }
        }
        Reference.reachabilityFence(host);
        if (!vectors) {
            return new SvdResult(null, s, null);
        }
        if (!wide) {
            return new SvdResult(left, s, right);
        }
        // Aᵀ = U' S V'ᵀ, so A = V' S U'ᵀ: A's U is V' (the column-major k x m V'ᵀ read row-major) and A's Vᵀ is U'ᵀ
        INDArray u = Nd4j.create(right.data(), new long[] {m, k}, new long[] {k, 1}, 0, 'c', type);
        INDArray vt = Nd4j.create(left.data(), new long[] {k, n}, new long[] {n, 1}, 0, 'c', type);
        return new SvdResult(u, s, vt);
    }

    @Override
    public INDArray cholesky(INDArray spd) {
        requireMatrix(spd, "cholesky input");
        requireSquare(spd, "cholesky input");
        requireNonEmpty(spd, "cholesky");
        return timed(StageClock.Stage.CHOLESKY, () -> factor(freshCopy(spd, 'c')));
    }

    @Override
    public INDArray choleskyInPlace(INDArray spd) {
        requireMatrix(spd, "cholesky input");
        requireSquare(spd, "cholesky input");
        requireNonEmpty(spd, "cholesky");
        if (!isDense(spd, 'c') && !isDense(spd, 'f')) {
            throw new IllegalArgumentException("choleskyInPlace needs a dense array that is not a view");
        }
        return timed(StageClock.Stage.CHOLESKY, () -> factor(spd));
    }

    /** Factors a dense array in place: its lower triangle becomes L, its strict upper triangle zero. */
    private synchronized INDArray factor(INDArray dense) {
        requireFinite(dense, "cholesky");
        int n = dim(dense.rows(), "order");
        boolean single = single(dense);
        // the lower triangle of a row-major array is the upper one of its column-major view
        int uplo = dense.ordering() == 'c' ? Cublas.FILL_UPPER : Cublas.FILL_LOWER;
        try (DeviceBuffer d = upload(dense)) {
            int info = cusolver.potrf(single, uplo, n, d.address(), n);
            String routine = single ? "cusolverDnSpotrf" : "cusolverDnDpotrf";
            if (info > 0) {
                throw new NotPositiveDefiniteException(routine, info, n);
            }
            checkInfo(routine, info, "");
            download(d, dense);
        }
        zeroStrictUpper(dense, n);
        return dense;
    }

    @Override
    public INDArray solveTriangular(INDArray triangular, boolean lower, boolean transpose, INDArray b, boolean leftSide) {
        return timed(StageClock.Stage.TRIANGULAR_SOLVE, () -> solve(triangular, lower, transpose, b, leftSide));
    }

    private synchronized INDArray solve(INDArray t, boolean lower, boolean transpose, INDArray b, boolean leftSide) {
        io.svdwb.engine.linalg.DenseMatrices.requireTriangularSystem(t, b, leftSide);
        long order = t.rows();
        INDArray x = freshCopy(b, 'c');
        if (x.length() == 0) {
            return x;
        }
        INDArray td = rowMajorContiguous(t);
        boolean single = single(t);
        // op(T) X = B is Xᵀ op(T)ᵀ = Bᵀ on the column-major views (Xᵀ, and Tᵀ whose stored triangle is the other one):
        // the side flips, and op(T)ᵀ is the view itself unless T is transposed
        int side = leftSide ? Cublas.SIDE_RIGHT : Cublas.SIDE_LEFT;
        int uplo = lower ? Cublas.FILL_UPPER : Cublas.FILL_LOWER;
        int trans = transpose ? Cublas.OP_T : Cublas.OP_N;
        int rows = dim(x.columns(), "columns of b");
        int cols = dim(x.rows(), "rows of b");
        try (DeviceBuffer dt = upload(td); DeviceBuffer dx = upload(x)) {
            cublas.trsm(single, side, uplo, trans, Cublas.DIAG_NON_UNIT, rows, cols, 1, dt.address(), ld(order),
                    dx.address(), ld(rows));
            download(dx, x);
        }
        Reference.reachabilityFence(td);
        return x;
    }

    @Override
    public EigenResult symmetricEigen(INDArray sym) {
        return timed(StageClock.Stage.SVD, () -> eigen(sym));
    }

    private synchronized EigenResult eigen(INDArray sym) {
        requireMatrix(sym, "symmetricEigen input");
        requireSquare(sym, "symmetricEigen input");
        requireNonEmpty(sym, "symmetricEigen");
        int n = dim(sym.rows(), "order");
        INDArray host = isDense(sym, 'c') || isDense(sym, 'f') ? sym : freshCopy(sym, 'c');
        requireFinite(host, "symmetricEigen");
        boolean single = single(sym);
        INDArray vectors = Nd4j.createUninitialized(sym.dataType(), new long[] {n, n}, 'f');
        INDArray values = Nd4j.createUninitialized(sym.dataType(), new long[] {n}, 'c');
        try (DeviceBuffer d = upload(host); DeviceBuffer w = allocate(values)) {
            int uplo = host.ordering() == 'c' ? Cublas.FILL_UPPER : Cublas.FILL_LOWER;
            int info = cusolver.syevd(single, true, uplo, n, d.address(), n, w.address());
            checkInfo(single ? "cusolverDnSsyevd" : "cusolverDnDsyevd", info, "the eigensolver did not converge");
            download(d, vectors);
            download(w, values);
        }
        Reference.reachabilityFence(host);
        // ascending from cuSOLVER, as from LAPACK: reverse the values and the eigenvector columns (contiguous blocks)
        reverseBlocks(values, 1, n);
        reverseBlocks(vectors, n, n);
        return new EigenResult(values, vectors);
    }

    @Override
    public INDArray gram(INDArray x) {
        requireMatrix(x, "gram input");
        long m = x.rows();
        INDArray c = Nd4j.zeros(x.dataType(), m, m);
        addGramLower(x, c);
        LinearAlgebra.mirrorLowerToUpper(c);
        return c;
    }

    @Override
    public void addGramLower(INDArray x, INDArray accumulator) {
        long start = System.nanoTime();
        try {
            accumulate(x, accumulator);
        } finally {
            StageClock.add(StageClock.Stage.GRAM, start);
        }
    }

    private synchronized void accumulate(INDArray x, INDArray accumulator) {
        io.svdwb.engine.linalg.DenseMatrices.requireGramAccumulator(x, accumulator);
        long m = x.rows();
        if (m == 0 || x.columns() == 0) {
            return;
        }
        INDArray xd = rowMajorContiguous(x);
        int features = dim(x.columns(), "columns");
        int mi = dim(m, "rows");
        try (DeviceBuffer dx = upload(xd); DeviceBuffer dc = upload(accumulator)) {
            // x's buffer is xᵀ column-major (features x m): (xᵀ)ᵀ xᵀ = x xᵀ, on the column-major upper triangle, which is
            // the row-major lower one
            cublas.syrk(single(x), Cublas.FILL_UPPER, Cublas.OP_T, mi, features, 1, dx.address(), ld(features), 1,
                    dc.address(), ld(mi));
            download(dc, accumulator);
        }
        Reference.reachabilityFence(xd);
    }

    /** Frees the cuBLAS and cuSOLVER handles. */
    @Override
    public synchronized void close() {
        try {
            if (kernels != null) {
                kernels.close();
            }
            cublas.close();
        } finally {
            cusolver.close();
        }
    }

    private DeviceBuffer allocate(INDArray like) {
        return new DeviceBuffer(runtime, like.length() * like.dataType().width());
    }

    private DeviceBuffer upload(INDArray dense) {
        DeviceBuffer buffer = allocate(dense);
        try {
            runtime.upload(buffer.address(), host(dense), buffer.bytes());
        } catch (RuntimeException e) {
            buffer.close();
            throw e;
        }
        Reference.reachabilityFence(dense);
        return buffer;
    }

    private void download(DeviceBuffer from, INDArray dense) {
        runtime.download(host(dense), from.address(), dense.length() * dense.dataType().width());
        Reference.reachabilityFence(dense);
    }

    /** The native memory of a dense array (ND4J's off-heap buffer, which starts at the array's first element). */
    static MemorySegment host(INDArray dense) {
        if (dense.offset() != 0 || dense.data().length() < dense.length()) {
            throw new IllegalStateException("not a dense array: " + Arrays.toString(dense.shape()));
        }
        return MemorySegment.ofAddress(dense.data().addressPointer().address())
                .reinterpret(dense.length() * dense.dataType().width());
    }

    private static void zeroStrictUpper(INDArray dense, int n) {
        boolean rowMajor = dense.ordering() == 'c';
        MemorySegment memory = host(dense);
        long width = dense.dataType().width();
        for (long i = 0; i < n; i++) {
            // the strict upper part of row i is contiguous in row-major storage, of column i in column-major storage
            long first = rowMajor ? i * n + i + 1 : i * n;
            long count = rowMajor ? n - i - 1 : i;
            memory.asSlice(first * width, count * width).fill((byte) 0);
        }
        Reference.reachabilityFence(dense);
    }

    private static void reverseBlocks(INDArray dense, long blockLength, long blocks) {
        MemorySegment memory = host(dense);
        long bytes = blockLength * dense.dataType().width();
        MemorySegment swap = MemorySegment.ofArray(new byte[(int) bytes]);
        for (long j = 0, r = blocks - 1; j < r; j++, r--) {
            MemorySegment.copy(memory, j * bytes, swap, 0, bytes);
            MemorySegment.copy(memory, r * bytes, memory, j * bytes, bytes);
            MemorySegment.copy(swap, 0, memory, r * bytes, bytes);
        }
        Reference.reachabilityFence(dense);
    }

    private static void checkInfo(String routine, int info, String nonConvergence) {
        if (info < 0) {
            throw new LinearAlgebraException(routine, info, "argument " + (-info) + " had an illegal value");
        }
        if (info > 0) {
            throw new LinearAlgebraException(routine, info, nonConvergence);
        }
    }

    private static boolean single(INDArray x) {
        return x.dataType() == DataType.FLOAT;
    }

    private static int ld(long rows) {
        return (int) Math.max(1, rows);
    }

    private static <T> T timed(StageClock.Stage stage, Supplier<T> operation) {
        long start = System.nanoTime();
        try {
            return operation.get();
        } finally {
            StageClock.add(stage, start);
        }
    }
}
