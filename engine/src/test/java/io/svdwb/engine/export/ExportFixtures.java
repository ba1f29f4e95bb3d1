package io.svdwb.engine.export;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.linalg.SvdResult;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.ColumnPreservingLinear;
import io.svdwb.engine.model.DenseLinear;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.LowRankLinear;
import io.svdwb.engine.model.ProjectionKind;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Low-rank replacements for a few modules of the demo model, by plain truncated SVD computed here. */
final class ExportFixtures {

    static final LinearAlgebra LA = LinearAlgebra.cpu();
    static final int RANK = 8;
    /** Square, GQA (k: 32 x 64), wide (gate: 172 x 64) and tall (down: 64 x 172) matrices. */
    static final Map<String, long[]> SHAPES = Map.of(
            "model.layers.1.self_attn.q_proj", new long[] {64, 64},
            "model.layers.2.self_attn.k_proj", new long[] {32, 64},
            "model.layers.3.mlp.gate_proj", new long[] {172, 64},
            "model.layers.3.mlp.down_proj", new long[] {64, 172});
    static final CompressionRun RUN = new CompressionRun("svd", 0.2, null, 0, 0, 0, "test", "none", java.util.Map.of());

    private ExportFixtures() {
    }

    /** A = U_r diag(s_r), B = Vt_r: the rank-r truncated SVD of each selected weight. */
    static Map<String, Linear> truncatedSvd(Checkpoint checkpoint) throws IOException {
        LlamaModel model = new LlamaModel(checkpoint, LA, LlamaModel.Residency.KEEP);
        Map<String, Linear> replacements = new LinkedHashMap<>();
        int[][] modules = {{1, ProjectionKind.Q.ordinal()}, {2, ProjectionKind.K.ordinal()},
                {3, ProjectionKind.GATE.ordinal()}, {3, ProjectionKind.DOWN.ordinal()}};
        for (int[] m : modules) {
            ProjectionKind kind = ProjectionKind.values()[m[1]];
            DenseLinear dense = model.loadDense(m[0], kind);
            SvdResult svd = LA.svd(dense.weight());
            INDArray a = svd.u().get(NDArrayIndex.all(), NDArrayIndex.interval(0, RANK)).dup('c')
                    .mulRowVector(svd.s().get(NDArrayIndex.interval(0, RANK)).reshape(1, RANK));
            INDArray b = svd.vt().get(NDArrayIndex.interval(0, RANK), NDArrayIndex.all()).dup('c');
            replacements.put(kind.moduleName(m[0]), new LowRankLinear(a.dup('c'), b, null, LA));
        }
        return replacements;
    }

    /**
     * A column-preserving replacement of one projection: the columns {@code kept} of W exactly, the rest by
     * its rank-{@code kc} truncated SVD (A = U diag(s), B = Vt), built here independently of the Duo-SVD kernel.
     */
    static ColumnPreservingLinear columnPreserving(Checkpoint checkpoint, int layer, ProjectionKind kind, int[] kept, int kc)
            throws IOException {
        DenseLinear dense = new LlamaModel(checkpoint, LA, LlamaModel.Residency.KEEP).loadDense(layer, kind);
        int[] rest = java.util.stream.IntStream.range(0, dense.inFeatures())
                .filter(j -> java.util.Arrays.binarySearch(kept, j) < 0).toArray();
        SvdResult svd = LA.svd(dense.weight().getColumns(rest).dup('c'));
        INDArray a = svd.u().get(NDArrayIndex.all(), NDArrayIndex.interval(0, kc)).dup('c')
                .mulRowVector(svd.s().get(NDArrayIndex.interval(0, kc)).reshape(1, kc));
        INDArray b = svd.vt().get(NDArrayIndex.interval(0, kc), NDArrayIndex.all()).dup('c');
        return new ColumnPreservingLinear(a.dup('c'), b, dense.weight().getColumns(kept).dup('c'), kept, dense.bias(), LA);
    }

    static LlamaModel withReplacements(Checkpoint checkpoint, Map<String, Linear> replacements) {
        LlamaModel model = new LlamaModel(checkpoint, LA, LlamaModel.Residency.KEEP);
        for (Map.Entry<String, Linear> e : replacements.entrySet()) {
            ProjectionModule module = ProjectionModule.parse(e.getKey(), checkpoint.config());
            model.replaceProjection(module.layer(), module.kind(), e.getValue());
        }
        return model;
    }

    static ExportRequest request(Checkpoint source, Map<String, Linear> replacements, ExportFormat format, boolean overwrite) {
        return new ExportRequest(source, replacements, Manifest.describe(RUN, source, replacements), format, overwrite);
    }
}
