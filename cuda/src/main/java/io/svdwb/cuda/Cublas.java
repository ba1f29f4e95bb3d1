package io.svdwb.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The cuBLAS v2 calls of the backend on one handle (column-major, as cuBLAS is; scalars by host pointer). The header
 * names are macros for the {@code _v2} symbols, which are what the library exports.
 */
final class Cublas implements AutoCloseable {

    static final int OP_N = 0;
    static final int OP_T = 1;
    static final int FILL_LOWER = 0;
    static final int FILL_UPPER = 1;
    static final int SIDE_LEFT = 0;
    static final int SIDE_RIGHT = 1;
    static final int DIAG_NON_UNIT = 0;
    static final int DEFAULT_MATH = 0;
    static final int TF32_TENSOR_OP_MATH = 3;

    private static final String[] STATUS = new String[17];

    static {
        STATUS[0] = "CUBLAS_STATUS_SUCCESS";
        STATUS[1] = "CUBLAS_STATUS_NOT_INITIALIZED";
        STATUS[3] = "CUBLAS_STATUS_ALLOC_FAILED";
        STATUS[7] = "CUBLAS_STATUS_INVALID_VALUE";
        STATUS[8] = "CUBLAS_STATUS_ARCH_MISMATCH";
        STATUS[11] = "CUBLAS_STATUS_MAPPING_ERROR";
        STATUS[13] = "CUBLAS_STATUS_EXECUTION_FAILED";
        STATUS[14] = "CUBLAS_STATUS_INTERNAL_ERROR";
        STATUS[15] = "CUBLAS_STATUS_NOT_SUPPORTED";
        STATUS[16] = "CUBLAS_STATUS_LICENSE_ERROR";
    }

    private final MethodHandle destroy;
    private final MethodHandle sgemm;
    private final MethodHandle dgemm;
    private final MethodHandle ssyrk;
    private final MethodHandle dsyrk;
    private final MethodHandle strsm;
    private final MethodHandle sgemmStridedBatched;
    private final MethodHandle setMathMode;
    private final MethodHandle dtrsm;
    private final MemorySegment handle;
    private boolean closed;

    Cublas(NativeLibrary cublas) {
        MethodHandle create = cublas.function("cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        destroy = cublas.function("cublasDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        FunctionDescriptor gemm = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
        sgemm = cublas.function("cublasSgemm_v2", gemm);
        dgemm = cublas.function("cublasDgemm_v2", gemm);
        FunctionDescriptor syrk = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS,
                ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
        ssyrk = cublas.function("cublasSsyrk_v2", syrk);
        dsyrk = cublas.function("cublasDsyrk_v2", syrk);
        FunctionDescriptor trsm = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT);
        strsm = cublas.function("cublasStrsm_v2", trsm);
        setMathMode = cublas.function("cublasSetMathMode", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        sgemmStridedBatched = cublas.function("cublasSgemmStridedBatched", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_LONG,
                ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT));
        dtrsm = cublas.function("cublasDtrsm_v2", trsm);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            check("cublasCreate_v2", (int) create.invokeExact(out));
            handle = out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /**
     * Lets float32 products use TF32 tensor cores (10-bit mantissa products, float32 sums: several times faster on
     * Ampere and later, about 1e-3 relative error per product) or keeps them in full float32.
     */
    void useTf32(boolean tf32) {
        try {
            check("cublasSetMathMode", (int) setMathMode.invokeExact(handle, tf32 ? TF32_TENSOR_OP_MATH : DEFAULT_MATH));
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /** C = alpha op(A) op(B) + beta C, all column-major on the device. */
    void gemm(boolean single, int transA, int transB, int m, int n, int k, double alpha, long a, int lda, long b, int ldb,
            double beta, long c, int ldc) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment al = scalar(arena, single, alpha);
            MemorySegment be = scalar(arena, single, beta);
            MethodHandle f = single ? sgemm : dgemm;
            check(single ? "cublasSgemm_v2" : "cublasDgemm_v2", (int) f.invokeExact(handle, transA, transB, m, n, k, al,
                    MemorySegment.ofAddress(a), lda, MemorySegment.ofAddress(b), ldb, be, MemorySegment.ofAddress(c), ldc));
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /** {@code batch} float products C_i = op(A_i) op(B_i), operand i at i times its stride (0: the same operand). */
    void sgemmStridedBatched(int transA, int transB, int m, int n, int k, long a, int lda, long strideA, long b, int ldb,
            long strideB, long c, int ldc, long strideC, int batch) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = scalar(arena, true, 1);
            MemorySegment zero = scalar(arena, true, 0);
            check("cublasSgemmStridedBatched", (int) sgemmStridedBatched.invokeExact(handle, transA, transB, m, n, k, one,
                    MemorySegment.ofAddress(a), lda, strideA, MemorySegment.ofAddress(b), ldb, strideB, zero,
                    MemorySegment.ofAddress(c), ldc, strideC, batch));
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /** C = alpha op(A) op(A)ᵀ + beta C on the {@code uplo} triangle of the n x n C. */
    void syrk(boolean single, int uplo, int trans, int n, int k, double alpha, long a, int lda, double beta, long c, int ldc) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment al = scalar(arena, single, alpha);
            MemorySegment be = scalar(arena, single, beta);
            MethodHandle f = single ? ssyrk : dsyrk;
            check(single ? "cublasSsyrk_v2" : "cublasDsyrk_v2", (int) f.invokeExact(handle, uplo, trans, n, k, al,
                    MemorySegment.ofAddress(a), lda, be, MemorySegment.ofAddress(c), ldc));
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /** Solves op(A) X = alpha B (left) or X op(A) = alpha B (right) for the m x n B in place. */
    void trsm(boolean single, int side, int uplo, int trans, int diag, int m, int n, double alpha, long a, int lda, long b,
            int ldb) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment al = scalar(arena, single, alpha);
            MethodHandle f = single ? strsm : dtrsm;
            check(single ? "cublasStrsm_v2" : "cublasDtrsm_v2", (int) f.invokeExact(handle, side, uplo, trans, diag, m, n, al,
                    MemorySegment.ofAddress(a), lda, MemorySegment.ofAddress(b), ldb));
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                check("cublasDestroy_v2", (int) destroy.invokeExact(handle));
            } catch (Throwable t) {
                throw CudaRuntime.rethrow(t);
            }
        }
    }

    private static MemorySegment scalar(Arena arena, boolean single, double value) {
        return single ? arena.allocateFrom(JAVA_FLOAT, (float) value) : arena.allocateFrom(JAVA_DOUBLE, value);
    }

    static String statusName(int status) {
        return status >= 0 && status < STATUS.length && STATUS[status] != null ? STATUS[status] : "CUBLAS_STATUS_" + status;
    }

    private static void check(String call, int status) {
        if (status != 0) {
            throw new CudaException(call, status, statusName(status), null);
        }
    }
}
