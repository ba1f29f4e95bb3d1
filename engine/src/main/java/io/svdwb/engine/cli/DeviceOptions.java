package io.svdwb.engine.cli;

import io.svdwb.engine.linalg.Devices;
import io.svdwb.engine.linalg.LinearAlgebra;
import picocli.CommandLine.Option;

/** The {@code --device} option: which backend runs the linear algebra of a command. */
final class DeviceOptions {

    @Option(names = "--device", paramLabel = "cpu|cuda[:N]",
            description = "Where the linear algebra runs: cpu (OpenBLAS; the default) or cuda[:N], an NVIDIA GPU through cuBLAS "
                    + "and cuSOLVER (needs the cuda module's jar on SVDWB_CLASSPATH and the CUDA 13 libraries; docs/GPU.md). "
                    + "Results agree to rounding.")
    String device = "cpu";

    private LinearAlgebra backend;

    /** The backend's name, with its host-device copies where it makes any: for a run's report. */
    String describe() {
        String transfers = backend().transferReport();
        return backend().name() + (transfers == null ? "" : "; " + transfers);
    }

    /** The backend, opened on first use (a GPU backend's handles are made once per command). */
    LinearAlgebra backend() {
        if (backend == null) {
            backend = Devices.open(device);
        }
        return backend;
    }
}
