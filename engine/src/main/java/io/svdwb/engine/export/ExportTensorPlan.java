package io.svdwb.engine.export;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.ColumnPreservingLinear;
import io.svdwb.engine.model.DenseLinear;
import io.svdwb.engine.model.FactoredTensorNames;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LowRankLinear;
import io.svdwb.engine.model.SpilledLowRankLinear;
import io.svdwb.engine.safetensors.DType;
import io.svdwb.engine.safetensors.TensorInfo;
import io.svdwb.engine.safetensors.TensorStore;
import io.svdwb.engine.tensor.NdArrays;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The tensors of an export, in the source file's order: untouched tensors copied as raw bytes, a replaced
 * module's weight (and bias) swapped for what the format stores. Nothing is computed or read here; every
 * tensor's bytes are produced lazily when the writer (or the verifier) asks for them.
 */
final class ExportTensorPlan {

    private ExportTensorPlan() {
    }

    static List<ExportTensor> of(ExportRequest request, LinearAlgebra linalg) {
        TensorStore store = request.source().store();
        Map<String, String> weightToModule = new HashMap<>();
        Map<String, String> biasToModule = new HashMap<>();
        for (String module : request.replacements().keySet()) {
            weightToModule.put(module + ".weight", module);
            biasToModule.put(module + ".bias", module);
        }
        List<ExportTensor> tensors = new ArrayList<>();
        for (String name : store.names()) {
            String weightOf = weightToModule.get(name);
            String biasOf = biasToModule.get(name);
            if (weightOf != null) {
                addWeight(tensors, weightOf, request.replacements().get(weightOf), request.format(), linalg);
            } else if (biasOf != null) {
                addBias(tensors, biasOf, request.replacements().get(biasOf), request.format());
            } else {
                TensorInfo info = store.info(name);
                tensors.add(new ExportTensor(name, info.dtype(), info.shape(), () -> store.readRaw(name)));
            }
        }
        return tensors;
    }

    private static void addWeight(List<ExportTensor> tensors, String module, Linear linear, ExportFormat format, LinearAlgebra linalg) {
        if (linear instanceof LowRankLinear lowRank && lowRank.quantized() != null && format == ExportFormat.FACTORED) {
            // docs/EXPORT.md: I8 codes under the usual names, each followed by its F32 row scales
            io.svdwb.engine.compress.quant.QuantizedFactors q = lowRank.quantized();
            tensors.add(codes(FactoredTensorNames.bWeight(module), q.b()));
            tensors.add(scales(FactoredTensorNames.bScale(module), q.b()));
            tensors.add(codes(FactoredTensorNames.aWeight(module), q.a()));
            tensors.add(scales(FactoredTensorNames.aScale(module), q.a()));
        } else if (linear instanceof LowRankLinear lowRank && format == ExportFormat.FACTORED) {
            // B first: it is applied first, and ASVD's files list it first too
            tensors.add(f32(FactoredTensorNames.bWeight(module), lowRank.b()));
            tensors.add(f32(FactoredTensorNames.aWeight(module), lowRank.a()));
        } else if (linear instanceof LowRankLinear lowRank) {
            long[] shape = {lowRank.outFeatures(), lowRank.inFeatures()};
            tensors.add(new ExportTensor(module + ".weight", DType.F32, shape,
                    () -> littleEndian(NdArrays.toFloats(linalg.matmul(lowRank.a(), false, lowRank.b(), false)))));
        } else if (linear instanceof SpilledLowRankLinear spilled && format == ExportFormat.FACTORED) {
            // read back from the spill file one factor at a time, only while the export writes it
            tensors.add(f32Lazy(FactoredTensorNames.bWeight(module), spilled.rank(), spilled.inFeatures(), spilled::loadB));
            tensors.add(f32Lazy(FactoredTensorNames.aWeight(module), spilled.outFeatures(), spilled.rank(), spilled::loadA));
        } else if (linear instanceof SpilledLowRankLinear spilled) {
            tensors.add(f32Lazy(module + ".weight", spilled.outFeatures(), spilled.inFeatures(), () -> {
                INDArray a = spilled.loadA();
                INDArray b = spilled.loadB();
                try {
                    return linalg.matmul(a, false, b, false);
                } finally {
                    a.close();
                    b.close();
                }
            }));
        } else if (linear instanceof ColumnPreservingLinear columnPreserving && format == ExportFormat.FACTORED) {
            // B and A as for a low-rank module, then the exact columns; the indices go to config.json
            tensors.add(f32(FactoredTensorNames.bWeight(module), columnPreserving.b()));
            tensors.add(f32(FactoredTensorNames.aWeight(module), columnPreserving.a()));
            tensors.add(f32(FactoredTensorNames.cWeight(module), columnPreserving.c()));
        } else if (linear instanceof ColumnPreservingLinear columnPreserving) {
            long[] shape = {columnPreserving.outFeatures(), columnPreserving.inFeatures()};
            tensors.add(new ExportTensor(module + ".weight", DType.F32, shape,
                    () -> littleEndian(NdArrays.toFloats(columnPreserving.denseWeight()))));
        } else {
            tensors.add(f32(module + ".weight", ((DenseLinear) linear).weight()));
        }
    }

    private static void addBias(List<ExportTensor> tensors, String module, Linear linear, ExportFormat format) {
        boolean onA = format == ExportFormat.FACTORED && !(linear instanceof DenseLinear);
        String name = onA ? FactoredTensorNames.aBias(module) : module + ".bias";
        tensors.add(f32(name, ExportRequest.biasOf(linear), linear.outFeatures()));
    }

    private static ExportTensor f32(String name, INDArray matrix) {
        return new ExportTensor(name, DType.F32, new long[] {matrix.rows(), matrix.columns()}, () -> littleEndian(NdArrays.toFloats(matrix)));
    }

    private static ExportTensor codes(String name, io.svdwb.engine.compress.quant.Int8Rows rows) {
        return new ExportTensor(name, DType.I8, new long[] {rows.rows(), rows.cols()}, rows.codes()::clone);
    }

    private static ExportTensor scales(String name, io.svdwb.engine.compress.quant.Int8Rows rows) {
        return new ExportTensor(name, DType.F32, new long[] {rows.rows()}, () -> littleEndian(rows.scales()));
    }

    /** A matrix computed only when the export writes it, and freed right after. */
    private static ExportTensor f32Lazy(String name, long rows, long columns, java.util.function.Supplier<INDArray> matrix) {
        return new ExportTensor(name, DType.F32, new long[] {rows, columns}, () -> {
            INDArray m = matrix.get();
            try {
                return littleEndian(NdArrays.toFloats(m));
            } finally {
                m.close();
            }
        });
    }

    /** A bias: the Linear keeps it as a [1, out] row, the file stores it as a vector [out]. */
    private static ExportTensor f32(String name, INDArray vector, long length) {
        return new ExportTensor(name, DType.F32, new long[] {length}, () -> littleEndian(NdArrays.toFloats(vector)));
    }

    static byte[] littleEndian(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(Math.multiplyExact(values.length, Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }
}
