package io.svdwb.cuda;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.util.List;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs the CUDA suites that hold on NVIDIA's real libraries, on a GPU machine without Maven (scripts/device-check.sh,
 * with -Dsvdwb.cuda.real=true): the linalg contract suites, the layer kernels, whole models against transformers,
 * calibration statistics and the commands. The fakes' own tests (call counts, fake out-of-memory) are left out. Exit
 * status 0 when every test passed; the last line printed is the count.
 */
public final class DeviceTests {

    static final List<String> SUITES = List.of(
            "io.svdwb.engine.linalg.CudaLinearAlgebraMatmulTest", "io.svdwb.engine.linalg.CudaLinearAlgebraGramTest",
            "io.svdwb.engine.linalg.CudaLinearAlgebraCholeskyTest", "io.svdwb.engine.linalg.CudaLinearAlgebraTriangularSolveTest",
            "io.svdwb.engine.linalg.CudaLinearAlgebraSymmetricEigenTest", "io.svdwb.engine.linalg.CudaLinearAlgebraSvdFloatTest",
            "io.svdwb.engine.linalg.CudaLinearAlgebraSvdDoubleTest", "io.svdwb.engine.linalg.CudaLinearAlgebraSvdViaGramTest",
            "io.svdwb.cuda.LayerKernelsTest", "io.svdwb.engine.model.CudaTransformersFixturesTest",
            "io.svdwb.engine.calibration.CudaCalibrationStatisticsTest", "io.svdwb.engine.cli.GpuCommandsTest",
            "io.svdwb.engine.model.CudaLogitsTest");

    private DeviceTests() {
    }

    public static void main(String[] args) throws ClassNotFoundException {
        if (!FakeCuda.real()) {
            System.err.println("DeviceTests runs the suites on the real CUDA libraries: set -Dsvdwb.cuda.real=true");
            System.exit(2);
        }
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
        for (String suite : SUITES) {
            request.selectors(selectClass(Class.forName(suite)));
        }
        LauncherDiscoveryRequest discovery = request.build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(discovery, listener);
        TestExecutionSummary summary = listener.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        summary.printFailuresTo(out, 30);
        summary.printTo(out);
        out.println("tests " + summary.getTestsSucceededCount() + " passed, " + summary.getTestsFailedCount() + " failed, "
                + summary.getTestsAbortedCount() + " aborted, " + summary.getTestsSkippedCount() + " skipped of "
                + summary.getTestsFoundCount());
        System.exit(summary.getTotalFailureCount() == 0 ? 0 : 1);
    }
}
