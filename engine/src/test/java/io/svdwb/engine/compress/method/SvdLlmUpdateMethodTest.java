package io.svdwb.engine.compress.method;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.LowRankLinear;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ProjectionInput;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.progress.ProgressListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SVD-LLM with its update on the demo model (docs/METHODS.md §4.4): every factor A the method computes from Gram
 * statistics of propagated streams equals the least-squares solution computed from the token matrices themselves,
 * captured here by an independent forward pass through the compressed earlier layers (EJML's QR, no Gram), for both
 * targets; B is the whitened truncation's, the ranks those of SVD-LLM (W).
 */
class SvdLlmUpdateMethodTest {

    private static final int UPDATE_WINDOWS = 4;

    @TempDir
    Path cache;

    @Test
    void eachUpdatedFactorIsTheTokenLevelLeastSquaresFitOnThePropagatedInputs() throws Exception {
        checkAgainstTokens(SvdLlmUpdate.Target.CURRENT);
    }

    @Test
    void theOriginalTargetFitsTheUncompressedModelsOutputs() throws Exception {
        checkAgainstTokens(SvdLlmUpdate.Target.ORIGINAL);
    }

    private void checkAgainstTokens(SvdLlmUpdate.Target target) throws Exception {
        try (CompressionContext context = DemoCompression.open(cache)) {
            MethodSettings options = MethodId.SVD_LLM.defaults().with("svd-llm-update", "on")
                    .with("svd-llm-update-samples", Integer.toString(UPDATE_WINDOWS)).with("svd-llm-update-seed", "0")
                    .with("svd-llm-update-target", target.cliName());
            Selection all = Selection.all(context.checkpoint().config());
            CompressionResult updated = new Compressor(context).compress(new CompressionRequest(MethodId.SVD_LLM, 0.4, all, options),
                    ProgressListener.NONE);
            CompressionResult plain = new Compressor(context).compress(new CompressionRequest(MethodId.SVD_LLM, 0.4, all), ProgressListener.NONE);
            for (int i = 0; i < plain.modules().size(); i++) {
                assertThat(updated.modules().get(i).rank()).isEqualTo(plain.modules().get(i).rank());
            }
            for (int layer : new int[] {0, 2, 4}) {
                int l = layer;
                Map<ProjectionInput, INDArray> compressedInputs = inputsOf(context, updated.replacements(), layer);
                Map<ProjectionInput, INDArray> targetInputs = target == SvdLlmUpdate.Target.CURRENT
                        ? compressedInputs : inputsOf(context, Map.of(), layer);
                for (ProjectionKind kind : List.of(ProjectionKind.Q, ProjectionKind.O, ProjectionKind.UP, ProjectionKind.DOWN)) {
                    String module = kind.moduleName(layer);
                    LowRankLinear mine = (LowRankLinear) updated.replacements().get(module);
                    LowRankLinear whitened = (LowRankLinear) plain.replacements().get(module);
                    INDArray b = mine.b().castTo(DataType.DOUBLE);
                    // B is SVD-LLM (W)'s own: the update changes only A
                    assertThat(b.equalsWithEps(whitened.b().castTo(DataType.DOUBLE), 0)).as(module).isTrue();
                    MatrixSpec spec = context.checkpoint().matrices().stream()
                            .filter(m -> m.layer() == l && m.kind() == kind).findFirst().orElseThrow();
                    INDArray expected = leastSquares(context, spec, b,
                            targetInputs.get(ProjectionInput.of(kind)), compressedInputs.get(ProjectionInput.of(kind)));
                    INDArray actual = mine.a().castTo(DataType.DOUBLE);
                    double relative = actual.sub(expected).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
                    // A is stored in float32 (unit roundoff 6e-8: measured 3-4.4e-8 here, the activations of both
                    // passes being the same float32 arithmetic); the double normal equations add ~κ(B Xc)² 1e-16.
                    // 1e-6 leaves a margin of 20 and fails on a wrong stream, order or target (differences of O(0.01-1)).
                    assertThat(relative).as(module + " (" + target + ")").isLessThan(1e-6);
                }
            }
            assertThat(updated.details().get("svd_llm.update")).contains("target " + target.cliName());
        }
    }

    /**
     * Each projection input of layer {@code layer} as token rows [T, n] in DOUBLE, from the update windows run through
     * layers 0..layer-1 with {@code replacements} and then the ORIGINAL layer {@code layer}: one forward of all windows.
     */
    private static Map<ProjectionInput, INDArray> inputsOf(CompressionContext context, Map<String, Linear> replacements, int layer) {
        int length = context.calibrationLength();
        int[][] windows = context.probeWindows(UPDATE_WINDOWS, length, 0).windows();
        LlamaModel model = context.model();
        float[] hidden = model.embed(windows);
        Map<String, Linear> earlier = new HashMap<>();
        replacements.forEach((module, linear) -> {
            int l = Integer.parseInt(module.split("\\.")[2]);
            if (l < layer) {
                earlier.put(module, linear);
            }
        });
        model.runLayers(hidden, windows.length, length, 0, layer, earlier);
        Map<ProjectionInput, INDArray> inputs = new HashMap<>();
        model.runLayers(hidden, windows.length, length, layer, layer + 1,
                (l, input, x) -> inputs.put(input, x.castTo(DataType.DOUBLE).dup('c')));
        return inputs;
    }

    /** argmin_A ||(W X)ᵀ - (B Xc)ᵀ Aᵀ|| by EJML's Householder QR on the T x k token matrix. */
    private static INDArray leastSquares(CompressionContext context, MatrixSpec matrix, INDArray b, INDArray x, INDArray xc) {
        LinearAlgebra la = LinearAlgebra.cpu();
        INDArray w = context.weight(matrix).castTo(DataType.DOUBLE);
        DMatrixRMaj z = new DMatrixRMaj(la.matmul(xc, false, b, true).toDoubleMatrix());   // Xcᵀ Bᵀ, T x k
        DMatrixRMaj y = new DMatrixRMaj(la.matmul(x, false, w, true).toDoubleMatrix());    // Xᵀ Wᵀ, T x m
        LinearSolverDense<DMatrixRMaj> qr = LinearSolverFactory_DDRM.leastSquares(z.numRows, z.numCols);
        assertThat(qr.setA(z)).isTrue();
        DMatrixRMaj at = new DMatrixRMaj(z.numCols, y.numCols);
        qr.solve(y, at);
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < at.numRows; i++) {
            double[] row = new double[at.numCols];
            for (int j = 0; j < at.numCols; j++) {
                row[j] = at.get(i, j);
            }
            rows.add(row);
        }
        return Nd4j.createFromArray(rows.toArray(double[][]::new)).transpose();
    }
}
