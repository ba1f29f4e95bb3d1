package io.svdwb.cuda;

import io.svdwb.engine.calibration.InputStatistics;
import io.svdwb.engine.calibration.LayerStatistics;
import io.svdwb.engine.calibration.StatisticsAccumulator;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.ProjectionInput;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.EnumMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One decoder layer's calibration statistics summed on the GPU: each projection input's Gram (double, by dsyrk on its
 * lower triangle) and per-feature Σ|x| and max|x| stay in device memory over all the batches of the layer and come back
 * once, in {@link #result()}. Inputs arrive on the device from {@link CudaDecoderLayer}, or as host arrays when the
 * layer ran on the host. As on the CPU, every block is converted to double before anything is summed.
 */
final class CudaStatisticsAccumulator implements StatisticsAccumulator {

    private static final class Sums implements AutoCloseable {
        final int features;
        final DeviceBuffer gram;
        final DeviceBuffer absSum;
        final DeviceBuffer absMax;
        long tokens;

        Sums(CudaRuntime runtime, int features) {
            this.features = features;
            long f = features;
            gram = new DeviceBuffer(runtime, f * f * 8);
            absSum = new DeviceBuffer(runtime, f * 8);
            absMax = new DeviceBuffer(runtime, f * 8);
            runtime.fill(gram.address(), 0, gram.bytes());
            runtime.fill(absSum.address(), 0, absSum.bytes());
            runtime.fill(absMax.address(), 0, absMax.bytes());
        }

        @Override
        public void close() {
            gram.close();
            absSum.close();
            absMax.close();
        }
    }

    private final CudaLinearAlgebra backend;
    private final CudaRuntime runtime;
    private final Cublas cublas;
    private final LayerKernels kernels;
    private final int layer;
    private final Map<ProjectionInput, Sums> sums = new EnumMap<>(ProjectionInput.class);

    CudaStatisticsAccumulator(CudaLinearAlgebra backend, CudaRuntime runtime, Cublas cublas, LayerKernels kernels, int layer) {
        this.backend = backend;
        this.runtime = runtime;
        this.cublas = cublas;
        this.kernels = kernels;
        this.layer = layer;
    }

    CudaLinearAlgebra owner() {
        return backend;
    }

    /** A block that is on the host (the layer ran there): uploaded, then summed as a device block. */
    @Override
    public void onInput(int layerIndex, ProjectionInput input, INDArray activations) {
        checkLayer(layerIndex);
        INDArray floats = activations.dataType() == DataType.FLOAT ? activations : activations.castTo(DataType.FLOAT);
        INDArray dense = io.svdwb.engine.linalg.DenseMatrices.rowMajorContiguous(floats);
        long bytes = dense.length() * 4;
        synchronized (backend) {
            try (DeviceBuffer block = new DeviceBuffer(runtime, bytes)) {
                runtime.upload(block.address(), CudaLinearAlgebra.host(dense), bytes);
                add(input, block.address(), (int) dense.rows(), (int) dense.columns());
            }
        }
        java.lang.ref.Reference.reachabilityFence(dense);
    }

    /** A float32 [rows, features] block in device memory, valid during the call. */
    void onDevice(int layerIndex, ProjectionInput input, long floats, int rows, int features) {
        checkLayer(layerIndex);
        synchronized (backend) {
            add(input, floats, rows, features);
        }
    }

    private void add(ProjectionInput input, long floats, int rows, int features) {
        long start = System.nanoTime();
        try {
            accumulate(input, floats, rows, features);
            // the device works asynchronously: wait for it, so that the time is the statistics' and not the next step's
            runtime.synchronize();
        } finally {
            io.svdwb.engine.progress.StageClock.add(io.svdwb.engine.progress.StageClock.Stage.GRAM, start);
        }
    }

    private void accumulate(ProjectionInput input, long floats, int rows, int features) {
        Sums s = sums.computeIfAbsent(input, k -> new Sums(runtime, features));
        if (s.features != features) {
            throw new IllegalArgumentException(input + " had " + s.features + " features, now " + features);
        }
        long n = (long) rows * features;
        try (DeviceBuffer x = new DeviceBuffer(runtime, n * 8)) {
            kernels.toDouble(floats, x.address(), n);
            // x's buffer is the column-major x^T (features x rows): x^T x on the column-major upper triangle, which is
            // the row-major lower one the host mirrors
            cublas.syrk(false, Cublas.FILL_UPPER, Cublas.OP_N, features, rows, 1, x.address(), Math.max(1, features), 1,
                    s.gram.address(), Math.max(1, features));
            kernels.absStatistics(x.address(), s.absSum.address(), s.absMax.address(), rows, features);
        }
        s.tokens += rows;
    }

    @Override
    public LayerStatistics result() {
        synchronized (backend) {
            try {
                if (sums.size() != ProjectionInput.values().length) {
                    throw new IllegalStateException("layer " + layer + " showed only " + sums.keySet() + " of its projection inputs");
                }
                Map<ProjectionInput, InputStatistics> out = new EnumMap<>(ProjectionInput.class);
                for (Map.Entry<ProjectionInput, Sums> e : sums.entrySet()) {
                    Sums s = e.getValue();
                    INDArray gram = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {s.features, s.features}, 'c');
                    runtime.download(CudaLinearAlgebra.host(gram), s.gram.address(), s.gram.bytes());
                    LinearAlgebra.mirrorLowerToUpper(gram);
                    out.put(e.getKey(), new InputStatistics(gram, s.tokens, doubles(s.absSum, s.features),
                            doubles(s.absMax, s.features)));
                }
                return new LayerStatistics(layer, out);
            } finally {
                sums.values().forEach(Sums::close);
                sums.clear();
            }
        }
    }

    private double[] doubles(DeviceBuffer buffer, int n) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(java.lang.foreign.ValueLayout.JAVA_DOUBLE, n);
            runtime.download(host, buffer.address(), n * 8L);
            return host.toArray(java.lang.foreign.ValueLayout.JAVA_DOUBLE);
        }
    }

    private void checkLayer(int layerIndex) {
        if (layerIndex != layer) {
            throw new IllegalStateException("statistics of layer " + layer + " were offered layer " + layerIndex);
        }
    }
}
