package io.svdwb.cuda;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import io.svdwb.engine.model.DecoderLayer;
import io.svdwb.engine.model.DenseLinear;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LowRankLinear;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.model.ProjectionInput;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.model.RotaryEmbedding;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One decoder layer on the GPU with its activations on the device from the input norm to the last residual add: the
 * residual stream goes up once and comes back once per batch, the weights are the projections' resident matrices
 * (uploaded once per pass), and every step mirrors {@link DecoderLayer}'s host forward. Attention runs per sequence
 * and key/value head as two strided-batched products over the query heads that share it, reading Q, K and V in place
 * through their leading dimensions (no gather), with the causal softmax between them.
 */
final class CudaDecoderLayer {

    private final CudaLinearAlgebra backend;
    private final CudaRuntime runtime;
    private final Cublas cublas;
    private final LayerKernels kernels;

    CudaDecoderLayer(CudaLinearAlgebra backend, CudaRuntime runtime, Cublas cublas, LayerKernels kernels) {
        this.backend = backend;
        this.runtime = runtime;
        this.cublas = cublas;
        this.kernels = kernels;
    }

    /** Whether every projection is one the device runs: dense or low-rank, float32. */
    static boolean supports(DecoderLayer layer) {
        for (ProjectionKind kind : ProjectionKind.values()) {
            Linear p = layer.projection(kind);
            boolean floats = p instanceof DenseLinear d ? d.weight().dataType() == DataType.FLOAT
                    : p instanceof LowRankLinear l && l.a().dataType() == DataType.FLOAT && l.b().dataType() == DataType.FLOAT;
            if (!floats) {
                return false;
            }
        }
        return true;
    }

    /** As the host forward; {@code statistics}, when not null, sums the four projection inputs on the device. */
    void forward(DecoderLayer layer, float[] hidden, int sequences, int seqLen, RotaryEmbedding rope, int layerIndex,
            CudaStatisticsAccumulator statistics) {
        ModelConfig config = layer.config();
        int rows = sequences * seqLen;
        int width = config.hiddenSize();
        List<DeviceBuffer> scope = new ArrayList<>();
        try {
            DeviceBuffer h = upload(hidden, scope);
            DeviceBuffer x = allocate((long) rows * width, scope);
            kernels.rmsNorm(h.address(), upload(layer.inputNorm(), scope).address(), x.address(), rows, width, config.rmsNormEps());
            observe(statistics, layerIndex, ProjectionInput.ATTENTION_INPUT, x, rows, width);
            DeviceBuffer q = project(layer, ProjectionKind.Q, x, rows, scope);
            DeviceBuffer k = project(layer, ProjectionKind.K, x, rows, scope);
            DeviceBuffer v = project(layer, ProjectionKind.V, x, rows, scope);
            if (layer.queryNorm() != null) {
                // in place: the kernel reads a row whole before it writes it
                kernels.rmsNorm(q.address(), upload(layer.queryNorm(), scope).address(), q.address(), rows * config.numHeads(),
                        config.headDim(), config.rmsNormEps());
                kernels.rmsNorm(k.address(), upload(layer.keyNorm(), scope).address(), k.address(), rows * config.numKvHeads(),
                        config.headDim(), config.rmsNormEps());
            }
            float[][] tables = rope.tables(seqLen);
            DeviceBuffer cos = upload(tables[0], scope);
            DeviceBuffer sin = upload(tables[1], scope);
            kernels.rope(q.address(), cos.address(), sin.address(), rows, seqLen, config.numHeads(), config.headDim());
            kernels.rope(k.address(), cos.address(), sin.address(), rows, seqLen, config.numKvHeads(), config.headDim());
            DeviceBuffer context = attend(config, q, k, v, sequences, seqLen, scope);
            observe(statistics, layerIndex, ProjectionInput.ATTENTION_OUTPUT, context, rows, config.qDim());
            DeviceBuffer attentionOut = project(layer, ProjectionKind.O, context, rows, scope);
            kernels.addInPlace(h.address(), attentionOut.address(), (long) rows * width);

            DeviceBuffer x2 = allocate((long) rows * width, scope);
            kernels.rmsNorm(h.address(), upload(layer.postAttentionNorm(), scope).address(), x2.address(), rows, width,
                    config.rmsNormEps());
            observe(statistics, layerIndex, ProjectionInput.MLP_INPUT, x2, rows, width);
            DeviceBuffer gate = project(layer, ProjectionKind.GATE, x2, rows, scope);
            DeviceBuffer up = project(layer, ProjectionKind.UP, x2, rows, scope);
            kernels.siluTimes(gate.address(), up.address(), (long) rows * config.intermediateSize());
            observe(statistics, layerIndex, ProjectionInput.MLP_HIDDEN, gate, rows, config.intermediateSize());
            DeviceBuffer down = project(layer, ProjectionKind.DOWN, gate, rows, scope);
            kernels.addInPlace(h.address(), down.address(), (long) rows * width);
            download(h, hidden);
        } finally {
            scope.forEach(DeviceBuffer::close);
        }
    }

    private static void observe(CudaStatisticsAccumulator statistics, int layerIndex, ProjectionInput input, DeviceBuffer block,
            int rows, int features) {
        if (statistics != null) {
            statistics.onDevice(layerIndex, input, block.address(), rows, features);
        }
    }

    private DeviceBuffer attend(ModelConfig config, DeviceBuffer q, DeviceBuffer k, DeviceBuffer v, int sequences, int seqLen,
            List<DeviceBuffer> scope) {
        int headDim = config.headDim();
        int group = config.numHeads() / config.numKvHeads();
        int qWidth = config.qDim();
        int kvWidth = config.kvDim();
        float scale = (float) (1.0 / Math.sqrt(headDim));
        long block = (long) seqLen * seqLen;
        DeviceBuffer context = allocate((long) sequences * seqLen * qWidth, scope);
        DeviceBuffer scores = allocate(group * block, scope);
        for (int s = 0; s < sequences; s++) {
            long qRow = (long) s * seqLen * qWidth;
            long kvRow = (long) s * seqLen * kvWidth;
            for (int kvHead = 0; kvHead < config.numKvHeads(); kvHead++) {
                long firstQuery = qRow + (long) kvHead * group * headDim;
                long keys = k.address() + 4 * (kvRow + (long) kvHead * headDim);
                long values = v.address() + 4 * (kvRow + (long) kvHead * headDim);
                // row-major S_h = Q_h K^T is column-major S_h^T = K Q_h^T; the views are read through their row strides
                cublas.sgemmStridedBatched(Cublas.OP_T, Cublas.OP_N, seqLen, seqLen, headDim, keys, kvWidth, 0,
                        q.address() + 4 * firstQuery, qWidth, headDim, scores.address(), seqLen, block, group);
                kernels.causalSoftmax(scores.address(), group * seqLen, seqLen, scale);
                // row-major C_h = P_h V is column-major C_h^T = V^T P_h^T, written into the context at head h's columns
                cublas.sgemmStridedBatched(Cublas.OP_N, Cublas.OP_N, headDim, seqLen, seqLen, values, kvWidth, 0,
                        scores.address(), seqLen, block, context.address() + 4 * firstQuery, qWidth, headDim, group);
            }
        }
        return context;
    }

    /** y = x W^T (+ bias) for a dense projection, or x B^T A^T (+ bias) for a low-rank one, all on the device. */
    private DeviceBuffer project(DecoderLayer layer, ProjectionKind kind, DeviceBuffer x, int rows, List<DeviceBuffer> scope) {
        Linear p = layer.projection(kind);
        DeviceBuffer y = allocate((long) rows * p.outFeatures(), scope);
        INDArray bias;
        if (p instanceof DenseLinear dense) {
            backend.productWithResident(x.address(), rows, (DeviceMatrix) dense.residentWeight(), y.address());
            bias = dense.bias();
        } else {
            LowRankLinear lowRank = (LowRankLinear) p;
            var factors = lowRank.residentFactors();
            DeviceBuffer inner = allocate((long) rows * lowRank.rank(), scope);
            backend.productWithResident(x.address(), rows, (DeviceMatrix) factors[1], inner.address());
            backend.productWithResident(inner.address(), rows, (DeviceMatrix) factors[0], y.address());
            bias = lowRank.bias();
        }
        if (bias != null) {
            kernels.addBias(y.address(), upload(bias.toFloatVector(), scope).address(), rows, p.outFeatures());
        }
        return y;
    }

    private DeviceBuffer allocate(long floats, List<DeviceBuffer> scope) {
        DeviceBuffer b = new DeviceBuffer(runtime, floats * 4);
        scope.add(b);
        return b;
    }

    private DeviceBuffer upload(float[] values, List<DeviceBuffer> scope) {
        DeviceBuffer b = allocate(values.length, scope);
        try (Arena arena = Arena.ofConfined()) {
            runtime.upload(b.address(), arena.allocateFrom(JAVA_FLOAT, values), values.length * 4L);
        }
        return b;
    }

    private void download(DeviceBuffer from, float[] into) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(JAVA_FLOAT, into.length);
            runtime.download(host, from.address(), into.length * 4L);
            MemorySegment.copy(host, JAVA_FLOAT, 0, into, 0, into.length);
        }
    }
}
