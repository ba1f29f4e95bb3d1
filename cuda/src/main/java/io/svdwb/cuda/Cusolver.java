package io.svdwb.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The dense cuSOLVER calls of the backend on one handle: Cholesky (potrf), symmetric eigen (syevd) and SVD (gesvd),
 * each with its workspace query. The workspace and {@code devInfo} live in device memory; devInfo is copied back and
 * returned after every call (its value is the numerical outcome: 0, or LAPACK's positive info).
 */
final class Cusolver implements AutoCloseable {

    static final int EIG_MODE_NOVECTOR = 0;
    static final int EIG_MODE_VECTOR = 1;

    private static final String[] STATUS = {"CUSOLVER_STATUS_SUCCESS", "CUSOLVER_STATUS_NOT_INITIALIZED",
        "CUSOLVER_STATUS_ALLOC_FAILED", "CUSOLVER_STATUS_INVALID_VALUE", "CUSOLVER_STATUS_ARCH_MISMATCH",
        "CUSOLVER_STATUS_MAPPING_ERROR", "CUSOLVER_STATUS_EXECUTION_FAILED", "CUSOLVER_STATUS_INTERNAL_ERROR",
        "CUSOLVER_STATUS_MATRIX_TYPE_NOT_SUPPORTED", "CUSOLVER_STATUS_NOT_SUPPORTED"};

    private final CudaRuntime runtime;
    private final MethodHandle destroy;
    private final MethodHandle[] potrfSize = new MethodHandle[2];
    private final MethodHandle[] potrf = new MethodHandle[2];
    private final MethodHandle[] syevdSize = new MethodHandle[2];
    private final MethodHandle[] syevd = new MethodHandle[2];
    private final MethodHandle[] gesvdSize = new MethodHandle[2];
    private final MethodHandle[] gesvd = new MethodHandle[2];
    private final MemorySegment handle;
    private boolean closed;

    Cusolver(NativeLibrary cusolver, CudaRuntime runtime) {
        this.runtime = runtime;
        MethodHandle create = cusolver.function("cusolverDnCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        destroy = cusolver.function("cusolverDnDestroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        String[] prefix = {"cusolverDnS", "cusolverDnD"};
        for (int t = 0; t < 2; t++) {
            potrfSize[t] = cusolver.function(prefix[t] + "potrf_bufferSize",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
            potrf[t] = cusolver.function(prefix[t] + "potrf",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
            syevdSize[t] = cusolver.function(prefix[t] + "syevd_bufferSize",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
            syevd[t] = cusolver.function(prefix[t] + "syevd", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
                    JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
            gesvdSize[t] = cusolver.function(prefix[t] + "gesvd_bufferSize",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
            gesvd[t] = cusolver.function(prefix[t] + "gesvd", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BYTE, JAVA_BYTE,
                    JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT,
                    ADDRESS, ADDRESS));
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            check("cusolverDnCreate", (int) create.invokeExact(out));
            handle = out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /** Cholesky of the n x n column-major A in place on its {@code uplo} triangle; returns devInfo. */
    int potrf(boolean single, int uplo, int n, long a, int lda) {
        int t = single ? 0 : 1;
        String name = (single ? "cusolverDnS" : "cusolverDnD") + "potrf";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment lwork = arena.allocate(JAVA_INT);
            check(name + "_bufferSize", (int) potrfSize[t].invokeExact(handle, uplo, n, MemorySegment.ofAddress(a), lda, lwork));
            int size = lwork.get(JAVA_INT, 0);
            try (DeviceBuffer work = new DeviceBuffer(runtime, (long) size * (single ? 4 : 8));
                 DeviceBuffer info = new DeviceBuffer(runtime, 4)) {
                check(name, (int) potrf[t].invokeExact(handle, uplo, n, MemorySegment.ofAddress(a), lda,
                        MemorySegment.ofAddress(work.address()), size, MemorySegment.ofAddress(info.address())));
                return info(info);
            }
        } catch (Throwable e) {
            throw CudaRuntime.rethrow(e);
        }
    }

    /** Eigenvalues (ascending) into w and, with vectors, eigenvectors into A's columns; returns devInfo. */
    int syevd(boolean single, boolean vectors, int uplo, int n, long a, int lda, long w) {
        int t = single ? 0 : 1;
        int jobz = vectors ? EIG_MODE_VECTOR : EIG_MODE_NOVECTOR;
        String name = (single ? "cusolverDnS" : "cusolverDnD") + "syevd";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment lwork = arena.allocate(JAVA_INT);
            check(name + "_bufferSize", (int) syevdSize[t].invokeExact(handle, jobz, uplo, n, MemorySegment.ofAddress(a), lda,
                    MemorySegment.ofAddress(w), lwork));
            int size = lwork.get(JAVA_INT, 0);
            try (DeviceBuffer work = new DeviceBuffer(runtime, (long) size * (single ? 4 : 8));
                 DeviceBuffer info = new DeviceBuffer(runtime, 4)) {
                check(name, (int) syevd[t].invokeExact(handle, jobz, uplo, n, MemorySegment.ofAddress(a), lda,
                        MemorySegment.ofAddress(w), MemorySegment.ofAddress(work.address()), size,
                        MemorySegment.ofAddress(info.address())));
                return info(info);
            }
        } catch (Throwable e) {
            throw CudaRuntime.rethrow(e);
        }
    }

    /**
     * SVD of the m x n column-major A (m >= n, as cuSOLVER's gesvd requires), destroying A: singular values into s,
     * with {@code jobu}/{@code jobvt} 'S' the thin U (ldu >= m) and Vᵀ (n x n), with 'N' neither; returns devInfo.
     */
    int gesvd(boolean single, char jobu, char jobvt, int m, int n, long a, int lda, long s, long u, int ldu, long vt, int ldvt) {
        if (m < n) {
            throw new IllegalArgumentException("cuSOLVER's gesvd needs m >= n, got " + m + " x " + n);
        }
        int t = single ? 0 : 1;
        String name = (single ? "cusolverDnS" : "cusolverDnD") + "gesvd";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment lwork = arena.allocate(JAVA_INT);
            check(name + "_bufferSize", (int) gesvdSize[t].invokeExact(handle, m, n, lwork));
            int size = lwork.get(JAVA_INT, 0);
            try (DeviceBuffer work = new DeviceBuffer(runtime, (long) size * (single ? 4 : 8));
                 DeviceBuffer info = new DeviceBuffer(runtime, 4)) {
                check(name, (int) gesvd[t].invokeExact(handle, (byte) jobu, (byte) jobvt, m, n, MemorySegment.ofAddress(a),
                        lda, MemorySegment.ofAddress(s), MemorySegment.ofAddress(u), ldu, MemorySegment.ofAddress(vt), ldvt,
                        MemorySegment.ofAddress(work.address()), size, MemorySegment.NULL,
                        MemorySegment.ofAddress(info.address())));
                return info(info);
            }
        } catch (Throwable e) {
            throw CudaRuntime.rethrow(e);
        }
    }

    private int info(DeviceBuffer info) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(JAVA_INT);
            runtime.download(host, info.address(), 4);
            return host.get(JAVA_INT, 0);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                check("cusolverDnDestroy", (int) destroy.invokeExact(handle));
            } catch (Throwable t) {
                throw CudaRuntime.rethrow(t);
            }
        }
    }

    static String statusName(int status) {
        return status >= 0 && status < STATUS.length ? STATUS[status] : "CUSOLVER_STATUS_" + status;
    }

    private static void check(String call, int status) {
        if (status != 0) {
            throw new CudaException(call, status, statusName(status), null);
        }
    }
}
