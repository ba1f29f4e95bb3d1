package io.svdwb.engine.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Device names: the CPU is built in; another kind is found on the class path or refused saying what to add. */
class DevicesTest {

    @Test
    void cpuIsTheCpuBackend() {
        assertThat(Devices.open("cpu")).isSameAs(LinearAlgebra.cpu());
        assertThat(Devices.open("CPU:0")).isSameAs(LinearAlgebra.cpu());
    }

    @Test
    void malformedNamesAndAbsentBackendsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Devices.open("cuda:x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a device is cpu or cuda[:N] (e.g. cuda:0), got 'cuda:x'");
        assertThatThrownBy(() -> Devices.open("cpu:1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one CPU device");
        // the engine's own test class path has no CUDA backend: the cuda module's tests cover the other side
        assertThatThrownBy(() -> Devices.open("cuda:0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no 'cuda' backend on the class path").hasMessageContaining("SVDWB_CLASSPATH");
        assertThatThrownBy(() -> Devices.open("tpu")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("known devices are cpu and cuda[:N]");
    }
}
