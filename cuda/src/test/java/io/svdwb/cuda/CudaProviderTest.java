package io.svdwb.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.linalg.Devices;
import io.svdwb.engine.linalg.LinearAlgebra;
import org.junit.jupiter.api.Test;

/** With the cuda module's jar on the class path, {@code --device cuda[:N]} reaches the CUDA backend. */
class CudaProviderTest {

    @Test
    void cudaDevicesResolveToOneBackendPerDevice() {
        System.setProperty("svdwb.cuda.libraryPath", FakeCuda.libraries().toString());
        LinearAlgebra first = Devices.open("cuda");
        assertThat(first).isInstanceOf(CudaLinearAlgebra.class);
        assertThat(first.name()).isEqualTo("cuda:0 (cuBLAS/cuSOLVER)");
        assertThat(Devices.open("cuda:0")).isSameAs(first);
        assertThat(Devices.choices()).containsExactly("cpu", "cuda:0");
        assertThat(Devices.status()).isEqualTo("cuda: 1 device");
    }
}
