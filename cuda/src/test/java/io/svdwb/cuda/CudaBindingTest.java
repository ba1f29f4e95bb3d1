package io.svdwb.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The binding layer over the fake CUDA libraries: operations really go through cuBLAS/cuSOLVER calls, device memory is
 * freed deterministically (also when a call fails), transfers are counted, and failures name the call, the status and,
 * for out-of-memory, the bytes asked and free.
 */
class CudaBindingTest {

    private final CudaLinearAlgebra cuda = FakeCuda.backend();

    @AfterEach
    void restoreDeviceSize() {
        FakeCuda.setMemoryLimit(0);
    }

    @Test
    void aProductIsOneSgemmWithTwoUploadsAndOneDownloadAndFreesItsDeviceMemory() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 30, 20);
        INDArray b = Nd4j.rand(DataType.FLOAT, 20, 10);
        long gemms = FakeCuda.calls("cublasSgemm_v2");
        long live = FakeCuda.liveAllocations();
        long[] before = cuda.runtime().transfers();

        INDArray c = cuda.matmul(a, false, b, false);

        long[] after = cuda.runtime().transfers();
        assertThat(FakeCuda.calls("cublasSgemm_v2")).isEqualTo(gemms + 1);
        assertThat(after[0] - before[0]).as("uploads").isEqualTo(2);
        assertThat(after[1] - before[1]).as("bytes uploaded").isEqualTo((30 * 20 + 20 * 10) * 4L);
        assertThat(after[2] - before[2]).as("downloads").isEqualTo(1);
        assertThat(FakeCuda.liveAllocations()).as("device allocations left").isEqualTo(live);
        // against ND4J's own product: float sums of 20 terms in [0, 1) agree to a few ulps of 20
        assertThat(c.sub(a.mmul(b)).amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    @Test
    void aProjectionUploadsItsWeightOnceForAllBatchesAndFreesItOnRelease() {
        INDArray w = Nd4j.rand(DataType.FLOAT, 64, 32);
        io.svdwb.engine.model.DenseLinear projection = new io.svdwb.engine.model.DenseLinear(w, null, cuda);
        INDArray x = Nd4j.rand(DataType.FLOAT, 10, 32);
        long live = FakeCuda.liveAllocations();
        long[] t0 = cuda.runtime().transfers();
        INDArray first = projection.forward(x);
        long[] t1 = cuda.runtime().transfers();
        INDArray second = projection.forward(x);
        long[] t2 = cuda.runtime().transfers();
        assertThat(t1[1] - t0[1]).as("first batch: the weight and the batch").isEqualTo((64 * 32 + 10 * 32) * 4L);
        assertThat(t2[1] - t1[1]).as("second batch: the batch only").isEqualTo(10 * 32 * 4L);
        assertThat(FakeCuda.liveAllocations()).as("the resident weight").isEqualTo(live + 1);
        assertThat(second.sub(first).amaxNumber().doubleValue()).isZero();
        // float sums of 32 products in [0, 1): a few ulps of 32
        assertThat(first.sub(x.mmul(w.transpose())).amaxNumber().doubleValue()).isLessThan(1e-5);
        projection.release();
        assertThat(FakeCuda.liveAllocations()).as("released with the projection").isEqualTo(live);
        assertThat(cuda.transferReport()).matches("\\d+ uploads \\(\\d+\\.\\d MB\\), \\d+ downloads \\(\\d+\\.\\d MB\\)");
    }

    @Test
    void aSolverCallChecksDevInfoAndFreesItsWorkspace() {
        INDArray spd = Nd4j.createFromArray(new double[][] {{4, 2}, {2, 3}});
        long live = FakeCuda.liveAllocations();
        long potrf = FakeCuda.calls("cusolverDnDpotrf");
        INDArray l = cuda.cholesky(spd);
        assertThat(FakeCuda.calls("cusolverDnDpotrf")).isEqualTo(potrf + 1);
        assertThat(FakeCuda.calls("cusolverDnDpotrf_bufferSize")).isGreaterThanOrEqualTo(potrf + 1);
        assertThat(l.toDoubleMatrix()).isDeepEqualTo(new double[][] {{2, 0}, {1, Math.sqrt(2)}});
        assertThat(FakeCuda.liveAllocations()).isEqualTo(live);
    }

    @Test
    void outOfMemorySaysHowMuchWasAskedAndFreeAndLeaksNothing() {
        long live = FakeCuda.liveAllocations();
        INDArray a = Nd4j.rand(DataType.FLOAT, 256, 256);
        // room for the two operands (256 KB each) but not the result
        FakeCuda.setMemoryLimit(600_000);
        CudaOutOfMemoryException e = catchThrowableOfType(CudaOutOfMemoryException.class, () -> cuda.matmul(a, false, a, false));
        assertThat(e.requestedBytes()).isEqualTo(256 * 256 * 4L);
        assertThat(e.freeBytes()).isLessThan(e.requestedBytes());
        assertThat(e).hasMessageContaining("cudaMalloc failed with cudaErrorMemoryAllocation (2)")
                .hasMessageContaining("asked for 0.3 MiB of device memory").hasMessageContaining("free of 0.6 MiB");
        assertThat(FakeCuda.liveAllocations()).as("the operands' buffers were freed").isEqualTo(live);
    }

    @Test
    void aLibraryStatusBecomesAnExceptionNamingTheCallAndTheStatus() {
        Cublas cublas = cuda.cublasForTests();
        try (DeviceBuffer buffer = new DeviceBuffer(cuda.runtime(), 64)) {
            long d = buffer.address();
            // lda 0 < m: cuBLAS's INVALID_VALUE
            assertThatThrownBy(() -> cublas.gemm(true, Cublas.OP_N, Cublas.OP_N, 2, 2, 2, 1, d, 0, d, 2, 0, d + 16, 2))
                    .isInstanceOf(CudaException.class)
                    .hasMessage("cublasSgemm_v2 failed with CUBLAS_STATUS_INVALID_VALUE (7)");
        }
        assertThatThrownBy(() -> cuda.runtime().setDevice(3)).isInstanceOf(CudaException.class)
                .hasMessageContaining("cudaSetDevice(3) failed with cudaErrorInvalidDevice (101)");
    }

    @Test
    void tf32IsAnOptionOfTheMathModeAndOffByDefault() throws Throwable {
        java.lang.invoke.MethodHandle mode = java.lang.foreign.Linker.nativeLinker().downcallHandle(
                java.lang.foreign.SymbolLookup.libraryLookup(FakeCuda.libraries().resolve("libcublas.so.13"), java.lang.foreign.Arena.global())
                        .find("fake_cublas_math_mode").orElseThrow(), java.lang.foreign.FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_INT));
        assertThat((int) mode.invokeExact()).as("CUBLAS_DEFAULT_MATH").isZero();
        assertThat(cuda.name()).doesNotContain("TF32");
        Cublas cublas = cuda.cublasForTests();
        try {
            cublas.useTf32(true);
            assertThat((int) mode.invokeExact()).as("CUBLAS_TF32_TENSOR_OP_MATH").isEqualTo(3);
        } finally {
            cublas.useTf32(false);
        }
        assertThat((int) mode.invokeExact()).isZero();
    }

    @Test
    void aMissingLibraryOrDeviceIsNamed(@TempDir Path empty) {
        assertThatThrownBy(() -> NativeLibrary.open("libcusolver.so.99", List.of(empty)))
                .isInstanceOf(CudaUnavailableException.class)
                .hasMessageContaining("cannot load libcusolver.so.99")
                .hasMessageContaining(empty.resolve("libcusolver.so.99") + " (absent)")
                .hasMessageContaining("SVDWB_CUDA_LIBRARY_PATH");
        assertThatThrownBy(() -> CudaLinearAlgebra.open(1, List.of(FakeCuda.libraries())))
                .isInstanceOf(CudaUnavailableException.class).hasMessage("no CUDA device 1: the driver reports 1");
        NativeLibrary cudart = NativeLibrary.open("libcudart.so.13", List.of(FakeCuda.libraries()));
        assertThatThrownBy(() -> cudart.function("cudaNoSuchCall", java.lang.foreign.FunctionDescriptor.ofVoid()))
                .isInstanceOf(CudaUnavailableException.class).hasMessageContaining("does not export cudaNoSuchCall");
    }
}
