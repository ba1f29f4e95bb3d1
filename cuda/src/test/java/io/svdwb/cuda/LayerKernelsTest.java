package io.svdwb.cuda;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.svdwb.engine.eval.TokenLogProbabilities;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layer kernels of layer_kernels.cu against the CPU engine's own operations (io.svdwb.engine.model.Activations,
 * TokenLogProbabilities), through NVRTC and the driver API as on a GPU: on the fake libraries the kernels are that same
 * source compiled as C, every thread run in turn. Tolerances: the same float operations in the same order with the
 * sums in double; only exp/log/sqrt may differ, by an ulp (C's libm against Java's Math), so float results agree to
 * 2 ulps (4e-7 relative) and double ones to 1e-14.
 */
class LayerKernelsTest {

    private static LayerKernels kernels;
    private static CudaRuntime runtime;
    private final Random random = new Random(20261207L);

    @BeforeAll
    static void open() {
        runtime = FakeCuda.backend().runtime();
        kernels = LayerKernels.open(0, FakeCuda.libraryDirectories());
    }

    @AfterAll
    static void close() {
        kernels.close();
    }

    @Test
    void rmsNormIsTheEnginesRmsNorm() throws Exception {
        int rows = 7;
        int width = 96;
        float[] x = gaussian(rows * width);
        float[] w = gaussian(width);
        float[] expected = (float[]) activations("rmsNorm", float[].class, int.class, int.class, float[].class, double.class)
                .invoke(null, x, rows, width, w, 1e-5);
        try (DeviceBuffer dx = upload(x); DeviceBuffer dw = upload(w); DeviceBuffer dy = new DeviceBuffer(runtime, x.length * 4L)) {
            kernels.rmsNorm(dx.address(), dw.address(), dy.address(), rows, width, 1e-5);
            assertClose(download(dy, x.length), expected);
        }
    }

    @Test
    void siluTimesAndAddInPlaceAreTheEngines() throws Exception {
        int n = 1000; // not a multiple of the block: the last block's extra threads must do nothing
        float[] gate = gaussian(n);
        float[] up = gaussian(n);
        float[] expected = gate.clone();
        activations("siluTimesInPlace", float[].class, float[].class).invoke(null, expected, up);
        float[] sum = expected.clone();
        activations("addInPlace", float[].class, float[].class).invoke(null, sum, up);
        try (DeviceBuffer dg = upload(gate); DeviceBuffer du = upload(up)) {
            kernels.siluTimes(dg.address(), du.address(), n);
            assertClose(download(dg, n), expected);
            kernels.addInPlace(dg.address(), du.address(), n);
            assertClose(download(dg, n), sum);
        }
    }

    @Test
    void causalSoftmaxIsTheEngines() throws Exception {
        int seqLen = 12;
        int rows = 3 * seqLen; // three stacked [seqLen, seqLen] blocks
        float[] scores = gaussian(rows * seqLen);
        float[] expected = scores.clone();
        activations("causalSoftmaxInPlace", float[].class, int.class, int.class, float.class).invoke(null, expected, rows, seqLen, 0.125f);
        try (DeviceBuffer ds = upload(scores)) {
            kernels.causalSoftmax(ds.address(), rows, seqLen, 0.125f);
            assertClose(download(ds, scores.length), expected);
        }
    }

    @Test
    void tokenNllIsLogSumExpMinusTheTargetsLogit() {
        int rows = 5;
        int vocab = 300;
        float[] logits = gaussian(rows * vocab);
        int[] targets = {3, 299, -1, 0, 150};
        try (Arena arena = Arena.ofConfined(); DeviceBuffer dl = upload(logits);
             DeviceBuffer dt = new DeviceBuffer(runtime, rows * 4L); DeviceBuffer dn = new DeviceBuffer(runtime, rows * 8L)) {
            runtime.upload(dt.address(), arena.allocateFrom(JAVA_INT, targets), rows * 4L);
            kernels.tokenNll(dl.address(), dt.address(), dn.address(), rows, vocab);
            MemorySegment host = arena.allocate(JAVA_DOUBLE, rows);
            runtime.download(host, dn.address(), rows * 8L);
            double[] nll = host.toArray(JAVA_DOUBLE);
            for (int r = 0; r < rows; r++) {
                double expected = targets[r] < 0 ? 0
                        : TokenLogProbabilities.logSumExp(logits, r * vocab, vocab) - logits[r * vocab + targets[r]];
                assertThat(nll[r]).as("row %d", r).isCloseTo(expected, within(1e-14 * Math.max(1, Math.abs(expected))));
            }
        }
    }

    @Test
    void aCompilationErrorCarriesNvrtcsLogAndAMissingKernelIsNamed() {
        Nvrtc nvrtc = new Nvrtc(NativeLibrary.open("libnvrtc.so.13", FakeCuda.libraryDirectories()));
        assertThatThrownBy(() -> nvrtc.compile("#error no such type halfx\n", "broken.cu", List.of()))
                .isInstanceOf(CudaException.class)
                .hasMessageStartingWith("nvrtcCompileProgram(broken.cu) failed with NVRTC_ERROR_COMPILATION (6)")
                .hasMessageContaining("no such type halfx");
        CudaDriver driver = new CudaDriver(NativeLibrary.open("libcuda.so.1", FakeCuda.libraryDirectories()));
        driver.useDevice(0);
        MemorySegment module = driver.loadModule(nvrtc.compile(LayerKernels.source(), LayerKernels.SOURCE, List.of()));
        assertThatThrownBy(() -> driver.function(module, "layer_norm")).isInstanceOf(CudaException.class)
                .hasMessage("cuModuleGetFunction(layer_norm) failed with CUDA_ERROR_NOT_FOUND (500)");
        driver.unloadModule(module);
    }

    /** The same source through NVIDIA's compiler where the machine has one: it must be valid CUDA with every kernel. */
    @Test
    void theKernelSourceCompilesWithNvcc(@TempDir Path dir) throws Exception {
        Path nvcc = Path.of(System.getenv().getOrDefault("NVCC", "/usr/local/cuda/bin/nvcc"));
        assumeTrue(Files.isExecutable(nvcc), "no nvcc at " + nvcc);
        Path source = dir.resolve(LayerKernels.SOURCE);
        Files.writeString(source, LayerKernels.source());
        Path ptx = dir.resolve("layer_kernels.ptx");
        Process p = new ProcessBuilder(nvcc.toString(), "-ptx", "-arch=sm_90", "-o", ptx.toString(), source.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(output).isZero();
        String text = Files.readString(ptx);
        for (LayerKernels.Kernel k : LayerKernels.Kernel.values()) {
            assertThat(text).contains(".visible .entry " + k.symbol + "(");
        }
    }

    private static Method activations(String name, Class<?>... parameters) throws Exception {
        Method m = Class.forName("io.svdwb.engine.model.Activations").getDeclaredMethod(name, parameters);
        m.setAccessible(true);
        return m;
    }

    private float[] gaussian(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static DeviceBuffer upload(float[] values) {
        try (Arena arena = Arena.ofConfined()) {
            DeviceBuffer d = new DeviceBuffer(runtime, values.length * 4L);
            runtime.upload(d.address(), arena.allocateFrom(JAVA_FLOAT, values), values.length * 4L);
            return d;
        }
    }

    private static float[] download(DeviceBuffer d, int n) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(JAVA_FLOAT, n);
            runtime.download(host, d.address(), n * 4L);
            return host.toArray(JAVA_FLOAT);
        }
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], within(4e-7f * Math.max(1f, Math.abs(expected[i]))));
        }
    }
}
