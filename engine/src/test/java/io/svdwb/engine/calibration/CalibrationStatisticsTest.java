package io.svdwb.engine.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.TestData;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.ProjectionInput;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.model.TextTokenizer;
import io.svdwb.engine.progress.CancelledException;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.tensor.NdArrays;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The statistics equal naive double-precision sums over activations captured independently. */
class CalibrationStatisticsTest {

    static final int N = 8;
    static final int L = 64;

    static Checkpoint checkpoint;
    static int[][] windows;
    static List<LayerStatistics> stats;
    /** The same windows in one batch: the activations are then exactly those of {@link #captureRows}. */
    static List<LayerStatistics> oneBatch;

    @BeforeAll
    static void collect() throws Exception {
        try (TextTokenizer tokenizer = TextTokenizer.open(TestData.demoModel())) {
            int[] tokens = tokenizer.encode(Files.readString(CalibrationSamplerTest.wikiTrainHead()));
            windows = new CalibrationSampler(tokenizer).sample(tokens, "wiki", N, L, 3).windows();
        }
        checkpoint = Checkpoint.open(TestData.demoModel());
        LlamaModel model = new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.STREAM);
        stats = CalibrationStatistics.collect(model, windows, 3, ProgressListener.NONE);
        oneBatch = CalibrationStatistics.collect(model, windows, N, ProgressListener.NONE);
    }

    @AfterAll
    static void close() throws Exception {
        checkpoint.close();
    }

    /** Every projection input of {@code layer}, as float rows [tokens][features], from a plain full-model pass. */
    static Map<ProjectionInput, List<float[]>> captureRows(int layer) {
        LlamaModel model = new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.KEEP);
        Map<ProjectionInput, List<float[]>> rows = new EnumMap<>(ProjectionInput.class);
        float[] hidden = model.embed(windows);
        model.runLayers(hidden, N, L, 0, layer + 1, (l, input, x) -> {
            if (l == layer) {
                int n = (int) x.columns();
                float[] flat = NdArrays.toFloats(x);
                List<float[]> list = rows.computeIfAbsent(input, k -> new ArrayList<>());
                for (int t = 0; t < x.rows(); t++) {
                    float[] row = new float[n];
                    System.arraycopy(flat, t * n, row, 0, n);
                    list.add(row);
                }
            }
        });
        return rows;
    }

    @Test
    void gramAndAsvdStatisticsEqualNaiveSumsForEveryInput() {
        int layer = 2;
        Map<ProjectionInput, List<float[]>> rows = captureRows(layer);
        for (ProjectionInput input : ProjectionInput.values()) {
            List<float[]> x = rows.get(input);
            int n = x.get(0).length;
            double[][] h = new double[n][n];
            double[] absSum = new double[n];
            double[] absMax = new double[n];
            for (float[] row : x) {
                for (int i = 0; i < n; i++) {
                    absSum[i] += Math.abs((double) row[i]);
                    absMax[i] = Math.max(absMax[i], Math.abs((double) row[i]));
                    for (int j = 0; j < n; j++) {
                        h[i][j] += (double) row[i] * row[j];
                    }
                }
            }
            InputStatistics s = oneBatch.get(layer).of(input);
            assertThat(s.tokens()).isEqualTo((long) N * L);
            assertThat(s.gram().dataType()).isEqualTo(DataType.DOUBLE);
            assertThat(s.gram().shape()).containsExactly(n, n);
            double scale = 0;
            for (int i = 0; i < n; i++) {
                scale = Math.max(scale, h[i][i]);
            }
            double[][] got = s.gram().toDoubleMatrix();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    assertThat(Math.abs(got[i][j] - h[i][j])).as("%s H[%d][%d]", input, i, j).isLessThanOrEqualTo(1e-12 * scale);
                }
                assertThat(s.absSum()[i]).isCloseTo(absSum[i], org.assertj.core.api.Assertions.within(1e-12 * absSum[i] + 1e-300));
                assertThat(s.absMax()[i]).isEqualTo(absMax[i]);
                assertThat(s.meanAbs()[i]).isCloseTo(absSum[i] / (N * L), org.assertj.core.api.Assertions.within(1e-12 * absSum[i]));
            }
        }
    }

    @Test
    void gramIsExactlySymmetricAndPositiveSemidefinite() {
        LinearAlgebra la = LinearAlgebra.cpu();
        for (LayerStatistics layer : stats) {
            for (ProjectionInput input : ProjectionInput.values()) {
                INDArray h = layer.of(input).gram();
                assertThat(h.equals(h.transpose().dup())).as("layer %d %s symmetric", layer.layer(), input).isTrue();
                double trace = 0;
                for (int i = 0; i < h.rows(); i++) {
                    trace += h.getDouble(i, i);
                }
                assertThat(trace).isPositive();
                double smallest = la.symmetricEigen(h).values().minNumber().doubleValue();
                assertThat(smallest).as("layer %d %s smallest eigenvalue", layer.layer(), input).isGreaterThanOrEqualTo(-1e-9 * trace);
            }
        }
    }

    @Test
    void projectionsReadingTheSameInputShareOneStatisticsObject() {
        LayerStatistics layer = stats.get(0);
        assertThat(stats).hasSize(5);
        assertThat(layer.of(ProjectionKind.Q)).isSameAs(layer.of(ProjectionKind.K)).isSameAs(layer.of(ProjectionKind.V));
        assertThat(layer.of(ProjectionKind.GATE)).isSameAs(layer.of(ProjectionKind.UP));
        assertThat(layer.of(ProjectionKind.O).features()).isEqualTo(64);
        assertThat(layer.of(ProjectionKind.DOWN).features()).isEqualTo(172);
    }

    @Test
    void batchSizeChangesOnlyTheRoundingOfTheSums() {
        INDArray a = oneBatch.get(4).of(ProjectionInput.MLP_HIDDEN).gram();
        INDArray b = stats.get(4).of(ProjectionInput.MLP_HIDDEN).gram();
        double scale = a.maxNumber().doubleValue();
        assertThat(a.sub(b).amaxNumber().doubleValue()).isLessThanOrEqualTo(1e-5 * scale);
    }

    @Test
    void reportsOneUnitPerLayerAndBatchAndStopsWhenCancelled() {
        LlamaModel model = new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.STREAM);
        RecordingProgress progress = new RecordingProgress(7);
        assertThatThrownBy(() -> CalibrationStatistics.collect(model, windows, 3, progress))
                .isInstanceOf(CancelledException.class);
        assertThat(progress.total).isEqualTo(5 * 3);
        assertThat(progress.last).isEqualTo(7);
    }

    /** Records progress and asks to cancel once {@code cancelAt} units are done. */
    static final class RecordingProgress implements ProgressListener {
        final long cancelAt;
        final List<String> phases = new ArrayList<>();
        long total;
        long last;
        /** The first units reported in the latest phase, -1 before any. */
        long first = -1;

        RecordingProgress(long cancelAt) {
            this.cancelAt = cancelAt;
        }

        @Override public void begin(String phase, long totalUnits) {
            phases.add(phase);
            total = totalUnits;
            first = -1;
        }
        @Override public void advanceTo(long unitsDone) {
            if (first < 0) {
                first = unitsDone;
            }
            last = unitsDone;
        }
        @Override public void end() { }
        @Override public boolean isCancelled() {
            return last >= cancelAt;
        }
    }

    /**
     * A sink that sees each layer while its weights are loaded gets the same statistics, bit for bit, as one that
     * sees them after the release, and the weights the layer ran with are the checkpoint's.
     */
    @Test
    void theLoadedLayerSinkGetsTheSameStatisticsAndTheCheckpointsWeights() throws Exception {
        LlamaModel model = new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.STREAM);
        LlamaModel kept = new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.KEEP);
        List<LayerStatistics> whileLoaded = new ArrayList<>();
        CalibrationStatistics.collect(model, CalibrationStatistics.batchSizes(N, 3), L,
                () -> CalibrationStatistics.embed(model, windows, 3, ProgressListener.NONE).hidden(),
                0, model.config().numLayers(), ProgressListener.NONE, (statistics, ran) -> {
                    for (ProjectionKind kind : ProjectionKind.values()) {
                        INDArray weight = ((io.svdwb.engine.model.DenseLinear) ran.projection(kind)).weight();
                        assertThat(NdArrays.toFloats(weight)).as("%s of layer %d", kind, statistics.layer())
                                .containsExactly(NdArrays.toFloats(kept.loadDense(statistics.layer(), kind).weight()));
                    }
                    whileLoaded.add(statistics);
                }, (layer, hidden) -> { });
        assertThat(whileLoaded).hasSameSizeAs(stats);
        for (int layer = 0; layer < stats.size(); layer++) {
            for (ProjectionInput input : ProjectionInput.values()) {
                InputStatistics expected = stats.get(layer).of(input);
                InputStatistics actual = whileLoaded.get(layer).of(input);
                assertThat(actual.tokens()).isEqualTo(expected.tokens());
                assertThat(actual.gram().data().asDouble()).as("Gram of %s, layer %d", input, layer)
                        .containsExactly(expected.gram().data().asDouble());
                assertThat(actual.absSum()).containsExactly(expected.absSum());
            }
        }
    }
}
