package io.svdwb.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The binding against NVIDIA's own libcudart.so.13 where the machine has the CUDA toolkit (our CPU build machines carry
 * /usr/local/cuda without a GPU or a driver; SVDWB_REAL_CUDART names another folder): every runtime function the
 * backend uses must exist in the real library with a calling convention that works, and a machine without a usable
 * GPU must be told so by name, not crash.
 */
class RealCudartTest {

    @Test
    void theRealRuntimeHasEverySymbolAndReportsItsStateByName() {
        String override = System.getenv("SVDWB_REAL_CUDART");
        Path dir = Path.of(override != null ? override : "/usr/local/cuda/lib64");
        assumeTrue(Files.isRegularFile(dir.resolve("libcudart.so.13")), "no CUDA 13 toolkit runtime in " + dir);

        CudaRuntime runtime = new CudaRuntime(NativeLibrary.open("libcudart.so.13", List.of(dir)));
        assertThat(runtime.runtimeVersion()).as("CUDA 13.x").isBetween(13000, 13999);
        try {
            assertThat(runtime.deviceCount()).isPositive(); // a machine with a GPU and its driver
        } catch (CudaException noGpu) {
            assertThat(noGpu.call()).isEqualTo("cudaGetDeviceCount");
            assertThat(noGpu.statusName()).isIn("cudaErrorInsufficientDriver", "cudaErrorNoDevice");
            assertThat(noGpu).hasMessageStartingWith("cudaGetDeviceCount failed with " + noGpu.statusName());
        }
    }
}
