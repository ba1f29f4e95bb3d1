package io.svdwb.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The elementwise steps of a decoder layer and of the loss as GPU kernels (layer_kernels.cu in this jar), compiled by
 * NVRTC when the backend first needs them and launched through the driver API on the device's primary context. Each
 * takes device addresses and mirrors the CPU engine's operation (io.svdwb.engine.model.Activations).
 */
public final class LayerKernels implements AutoCloseable {

    static final String SOURCE = "layer_kernels.cu";
    private static final int THREADS_PER_BLOCK = 256;

    /** The kernels of layer_kernels.cu, by their names there. */
    enum Kernel {
        RMS_NORM("rms_norm"), SILU_TIMES("silu_times"), ADD_IN_PLACE("add_in_place"), CAUSAL_SOFTMAX("causal_softmax"),
        TOKEN_NLL("token_nll"), ROPE("rope"), ADD_BIAS("add_bias"), TO_DOUBLE("to_double"), ABS_STATISTICS("abs_statistics");

        final String symbol;

        Kernel(String symbol) {
            this.symbol = symbol;
        }
    }

    private final CudaDriver driver;
    private final MemorySegment module;
    private final Map<Kernel, MemorySegment> functions = new EnumMap<>(Kernel.class);
    private boolean closed;

    private LayerKernels(CudaDriver driver, MemorySegment module) {
        this.driver = driver;
        this.module = module;
        for (Kernel k : Kernel.values()) {
            functions.put(k, driver.function(module, k.symbol));
        }
    }

    /** Compiles and loads the kernels for device {@code ordinal}, with libcuda.so.1 and libnvrtc.so.13 from {@code directories}. */
    public static LayerKernels open(int ordinal, List<Path> directories) {
        CudaDriver driver = new CudaDriver(NativeLibrary.open("libcuda.so.1", directories));
        Nvrtc nvrtc = new Nvrtc(NativeLibrary.open("libnvrtc.so.13", directories));
        String ptx = nvrtc.compile(source(), SOURCE, List.of("-default-device"));
        driver.useDevice(ordinal);
        return new LayerKernels(driver, driver.loadModule(ptx));
    }

    static String source() {
        try (InputStream in = LayerKernels.class.getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SOURCE + " is missing from the cuda module's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** y = w * x / rms(x) per row of a [rows, width] float matrix. */
    public void rmsNorm(long x, long weight, long y, int rows, int width, double eps) {
        launch(Kernel.RMS_NORM, rows, (arena, args) -> {
            args.put(pointer(arena, x)).put(pointer(arena, weight)).put(pointer(arena, y));
            args.put(arena.allocateFrom(JAVA_INT, rows)).put(arena.allocateFrom(JAVA_INT, width)).put(arena.allocateFrom(JAVA_DOUBLE, eps));
        });
    }

    /** gate = silu(gate) * up over {@code n} floats. */
    public void siluTimes(long gate, long up, long n) {
        launch(Kernel.SILU_TIMES, n, (arena, args) -> args.put(pointer(arena, gate)).put(pointer(arena, up))
                .put(arena.allocateFrom(JAVA_LONG, n)));
    }

    /** target += delta over {@code n} floats. */
    public void addInPlace(long target, long delta, long n) {
        launch(Kernel.ADD_IN_PLACE, n, (arena, args) -> args.put(pointer(arena, target)).put(pointer(arena, delta))
                .put(arena.allocateFrom(JAVA_LONG, n)));
    }

    /** Causal softmax in place over stacked [seqLen, seqLen] blocks of scores scaled by {@code scale}. */
    public void causalSoftmax(long scores, int rows, int seqLen, float scale) {
        launch(Kernel.CAUSAL_SOFTMAX, rows, (arena, args) -> args.put(pointer(arena, scores)).put(arena.allocateFrom(JAVA_INT, rows))
                .put(arena.allocateFrom(JAVA_INT, seqLen)).put(arena.allocateFrom(JAVA_FLOAT, scale)));
    }

    /** Rotary position embedding in place on [rows, heads * headDim] with cos/sin tables [position * headDim / 2 + i]. */
    public void rope(long x, long cos, long sin, int rows, int seqLen, int heads, int headDim) {
        launch(Kernel.ROPE, (long) rows * heads, (arena, args) -> args.put(pointer(arena, x)).put(pointer(arena, cos))
                .put(pointer(arena, sin)).put(arena.allocateFrom(JAVA_INT, rows)).put(arena.allocateFrom(JAVA_INT, seqLen))
                .put(arena.allocateFrom(JAVA_INT, heads)).put(arena.allocateFrom(JAVA_INT, headDim)));
    }

    /** y[r, :] += bias over a [rows, cols] float matrix. */
    public void addBias(long y, long bias, int rows, int cols) {
        launch(Kernel.ADD_BIAS, (long) rows * cols, (arena, args) -> args.put(pointer(arena, y)).put(pointer(arena, bias))
                .put(arena.allocateFrom(JAVA_INT, rows)).put(arena.allocateFrom(JAVA_INT, cols)));
    }

    /** y = (double) x over {@code n} values. */
    public void toDouble(long x, long y, long n) {
        launch(Kernel.TO_DOUBLE, n, (arena, args) -> args.put(pointer(arena, x)).put(pointer(arena, y))
                .put(arena.allocateFrom(JAVA_LONG, n)));
    }

    /** Adds a [rows, features] double block's per-feature sum of |x| to absSum and raises absMax to its max |x|. */
    public void absStatistics(long x, long absSum, long absMax, int rows, int features) {
        launch(Kernel.ABS_STATISTICS, features, (arena, args) -> args.put(pointer(arena, x)).put(pointer(arena, absSum))
                .put(pointer(arena, absMax)).put(arena.allocateFrom(JAVA_INT, rows)).put(arena.allocateFrom(JAVA_INT, features)));
    }

    /** nll[r] = logsumexp(logits[r]) - logits[r][targets[r]] in double (0 where the target is negative). */
    public void tokenNll(long logits, long targets, long nll, int rows, int vocab) {
        launch(Kernel.TOKEN_NLL, rows, (arena, args) -> args.put(pointer(arena, logits)).put(pointer(arena, targets))
                .put(pointer(arena, nll)).put(arena.allocateFrom(JAVA_INT, rows)).put(arena.allocateFrom(JAVA_INT, vocab)));
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            driver.unloadModule(module);
        }
    }

    /** Collects one kernel's parameter values, each in its own native cell. */
    private interface Arguments {
        void add(Arena arena, ArgumentList list);
    }

    private static final class ArgumentList {
        private final java.util.ArrayList<MemorySegment> cells = new java.util.ArrayList<>();

        ArgumentList put(MemorySegment cell) {
            cells.add(cell);
            return this;
        }
    }

    private synchronized void launch(Kernel kernel, long workItems, Arguments arguments) {
        if (closed) {
            throw new IllegalStateException("the layer kernels were closed");
        }
        if (workItems <= 0) {
            return;
        }
        long blocks = (workItems + THREADS_PER_BLOCK - 1) / THREADS_PER_BLOCK;
        if (blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(kernel.symbol + ": " + workItems + " work items exceed one launch");
        }
        try (Arena arena = Arena.ofConfined()) {
            ArgumentList list = new ArgumentList();
            arguments.add(arena, list);
            MemorySegment pointers = arena.allocate(ADDRESS, list.cells.size());
            for (int i = 0; i < list.cells.size(); i++) {
                pointers.setAtIndex(ADDRESS, i, list.cells.get(i));
            }
            driver.launch(kernel.symbol, functions.get(kernel), (int) blocks, THREADS_PER_BLOCK, pointers);
        }
    }

    private static MemorySegment pointer(Arena arena, long deviceAddress) {
        return arena.allocateFrom(ADDRESS, MemorySegment.ofAddress(deviceAddress));
    }
}
