package io.svdwb.engine.compress.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.LowRankFactors;
import io.svdwb.engine.compress.kernels.ResidualSvd;
import io.svdwb.engine.compress.kernels.Whitening;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LowRankLinear;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.progress.ProgressListener;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class CompressorTest {

    @TempDir
    static Path cache;
    static CompressionContext context;
    static Compressor compressor;

    @BeforeAll
    static void open() throws Exception {
        context = DemoCompression.open(cache);
        compressor = new Compressor(context);
    }

    @AfterAll
    static void close() throws Exception {
        context.close();
    }

    @Test
    void uniformRanksAndTheRealisedRatioMatchHandComputedValues() {
        CompressionResult r = compressor.compress(DemoCompression.request(context, MethodId.SVD_LLM, 0.4), ProgressListener.NONE);
        // k = floor(0.6 m n / (m + n)): 64x64 -> floor(19.2) = 19, 32x64 (GQA k, v) -> floor(12.8) = 12, 172x64 -> floor(27.98) = 27
        Map<ProjectionKind, Integer> expected = Map.of(ProjectionKind.Q, 19, ProjectionKind.K, 12, ProjectionKind.V, 12,
                ProjectionKind.O, 19, ProjectionKind.GATE, 27, ProjectionKind.UP, 27, ProjectionKind.DOWN, 27);
        assertThat(r.modules()).hasSize(35).allSatisfy(m -> assertThat(m.rank()).isEqualTo(expected.get(m.matrix().kind())));
        // per layer 2*19*128 + 2*12*96 + 3*27*236 = 26,284 kept of 45,312; five layers
        assertThat(r.selected().keptParameters()).isEqualTo(5 * 26_284L);
        assertThat(r.selected().originalParameters()).isEqualTo(226_560L);
        assertThat(r.selected().effectiveRatio()).isCloseTo(1 - 131_420.0 / 226_560, within(1e-12));
        assertThat(r.allMatrices().modelRatio()).isCloseTo((226_560 - 131_420) / 260_032.0, within(1e-12));
        assertThat(r.meetsTarget()).isTrue();
        assertThat(r.replacements()).hasSize(35).allSatisfy((module, linear) -> assertThat(linear).isInstanceOf(LowRankLinear.class));
    }

    @Test
    void theWhitenedLossIsTheOutputErrorOverTheCalibrationTokens() {
        // §3.4: ||W X - A B X||_F^2 = trace(E H E^T) with E = W - A B equals the sum of the dropped sigma^2 of W S.
        // Exact (no ridge) Cholesky, double throughout: agreement to 1e-8 relative is rounding only.
        DecompositionRecipe exact = new DecompositionRecipe.Whitened(Whitening.Options.SVD_LLM);
        for (MatrixSpec m : new MatrixSpec[] {spec(0, ProjectionKind.Q), spec(2, ProjectionKind.DOWN), spec(4, ProjectionKind.K)}) {
            LowRankDecomposition d = context.decomposition(exact, m, ProgressListener.NONE);
            int k = 10;
            LowRankFactors f = d.truncate(k);
            INDArray e = context.weight(m).castTo(DataType.DOUBLE).sub(f.product(LinearAlgebra.cpu()));
            INDArray h = context.statistics(m, ProgressListener.NONE).gram();
            LinearAlgebra la = LinearAlgebra.cpu();
            double outputError = la.matmul(e, false, h, false).mul(e).sumNumber().doubleValue();
            assertThat(Math.sqrt(outputError)).as(m.label()).isCloseTo(d.truncationLoss(k), within(1e-8 * d.truncationLoss(0)));
        }
    }

    @Test
    void aSecondRatioReusesEveryDecomposition() {
        compressor.compress(DemoCompression.request(context, MethodId.SVD, 0.2), ProgressListener.NONE);
        long misses = context.decompositions().misses();
        long hits = context.decompositions().hits();
        CompressionResult r = compressor.compress(DemoCompression.request(context, MethodId.SVD, 0.6), ProgressListener.NONE);
        assertThat(context.decompositions().misses()).isEqualTo(misses);
        assertThat(context.decompositions().hits()).isEqualTo(hits + 35);
        assertThat(r.modules()).allSatisfy(m -> assertThat(m.rank()).isLessThan(20));
    }

    @Test
    void plainSvdLossIsTheWeightSpaceError() {
        CompressionResult r = compressor.compress(DemoCompression.request(context, MethodId.SVD, 0.5), ProgressListener.NONE);
        for (ModuleOutcome m : r.modules()) {
            LowRankLinear linear = (LowRankLinear) r.replacements().get(m.module());
            INDArray product = linear.a().castTo(DataType.DOUBLE).mmul(linear.b().castTo(DataType.DOUBLE));
            double error = context.weight(m.matrix()).castTo(DataType.DOUBLE).sub(product).norm2Number().doubleValue();
            // float32 factors: 1e-5 of the weight norm covers their rounding
            double scale = context.weight(m.matrix()).norm2Number().doubleValue();
            assertThat(error).as(m.module()).isCloseTo(m.loss(), within(1e-5 * scale));
        }
    }

    @Test
    void resSvdOnEveryLayerEqualsSvdLlmBecauseBothStagesUseOneMetric() {
        // §4.7: with the same whitening in both stages, W1 + W2 is the rank-r whitened truncation
        CompressionResult svdLlm = compressor.compress(DemoCompression.request(context, MethodId.SVD_LLM, 0.4), ProgressListener.NONE);
        MethodSettings all = MethodId.RESSVD.defaults().with("ressvd-layers", "5");
        CompressionResult ressvd = compressor.compress(new CompressionRequest(MethodId.RESSVD, 0.4,
                Selection.all(context.checkpoint().config()), all), ProgressListener.NONE);
        assertThat(ressvd.selected().keptParameters()).isEqualTo(svdLlm.selected().keptParameters());
        for (Map.Entry<String, Linear> e : svdLlm.replacements().entrySet()) {
            INDArray single = product(e.getValue());
            INDArray twoStage = product(ressvd.replacements().get(e.getKey()));
            // float32 factors of a double computation: 1e-5 relative
            assertThat(single.sub(twoStage).norm2Number().doubleValue()).as(e.getKey())
                    .isLessThan(1e-5 * single.norm2Number().doubleValue());
        }
    }

    @Test
    void resSvdCompressesOnlyTheLastLayersAtTheRedistributedRatio() {
        MethodSettings last2 = MethodId.RESSVD.defaults().with("ressvd-layers", "2");
        CompressionResult r = compressor.compress(new CompressionRequest(MethodId.RESSVD, 0.3,
                Selection.all(context.checkpoint().config()), last2), ProgressListener.NONE);
        // R_l = N R_o / k = 5 * 0.3 / 2 = 0.75; q: floor(0.25 * 4096 / 128) = 8
        assertThat(r.details()).containsEntry("ressvd.layer_ratio", "0.7500");
        assertThat(r.modules()).allSatisfy(m -> assertThat(m.dense()).isEqualTo(m.matrix().layer() < 3));
        assertThat(r.modules()).filteredOn(m -> m.matrix().kind() == ProjectionKind.Q && !m.dense())
                .allSatisfy(m -> assertThat(m.rank()).isEqualTo(8));
        assertThat(r.meetsTarget()).isTrue();
    }

    @Test
    void theRatioAppliesToTheSelectionAndTheModelFigureToEverything() {
        Selection selection = Selection.parse("3-4", "q,k", context.checkpoint().config());
        CompressionResult r = compressor.compress(new CompressionRequest(MethodId.SVD_LLM, 0.5, selection),
                ProgressListener.NONE);
        assertThat(r.replacements()).containsOnlyKeys("model.layers.3.self_attn.q_proj", "model.layers.3.self_attn.k_proj",
                "model.layers.4.self_attn.q_proj", "model.layers.4.self_attn.k_proj");
        // q: floor(0.5 * 4096/128) = 16 -> 2048 kept of 4096; k: floor(0.5 * 2048/96) = 10 -> 960 of 2048
        long removed = 2 * (4096 - 2048) + 2 * (2048 - 960);
        assertThat(r.selected().effectiveRatio()).isCloseTo(removed / 12_288.0, within(1e-12));
        assertThat(r.allMatrices().effectiveRatio()).isCloseTo(removed / 226_560.0, within(1e-12));
    }

    @Test
    void duoSvdColumnPreservingFactorsReachTheirReportedOutputErrorAndBeatSvdLlmLayerWise() {
        MethodSettings uniform = MethodId.DUO_SVD.defaults().with("duo-allocation", "uniform").with("whitening", "svd-llm");
        CompressionResult duo = compressor.compress(new CompressionRequest(MethodId.DUO_SVD, 0.2,
                Selection.all(context.checkpoint().config()), uniform), ProgressListener.NONE);
        CompressionResult svdLlm = compressor.compress(new CompressionRequest(MethodId.SVD_LLM, 0.2,
                Selection.all(context.checkpoint().config()), MethodId.SVD_LLM.defaults().with("whitening", "svd-llm")), ProgressListener.NONE);
        assertThat(duo.selected().keptParameters()).isLessThanOrEqualTo(svdLlm.selected().keptParameters());
        assertThat(duo.modules()).anySatisfy(m -> assertThat(m.keptColumns()).isPositive());
        LinearAlgebra la = LinearAlgebra.cpu();
        for (int i = 0; i < duo.modules().size(); i++) {
            ModuleOutcome m = duo.modules().get(i);
            if (m.keptColumns() == 0) {
                continue;
            }
            INDArray dense = ((io.svdwb.engine.model.ColumnPreservingLinear) duo.replacements().get(m.module())).denseWeight();
            INDArray e = context.weight(m.matrix()).castTo(DataType.DOUBLE).sub(dense.castTo(DataType.DOUBLE));
            INDArray h = context.statistics(m.matrix(), ProgressListener.NONE).gram();
            double outputError = Math.sqrt(la.matmul(e, false, h, false).mul(e).sumNumber().doubleValue());
            // float32 factors: the installed module reproduces the kernel's exact loss to 1e-4 relative
            assertThat(outputError).as(m.module()).isCloseTo(m.loss(), within(1e-4 * m.loss()));
            // kept columns are accepted only for a > 1 % lower output error at no more storage (§4.6)
            assertThat(m.loss()).as(m.module()).isLessThan(0.99 * svdLlm.modules().get(i).loss());
            assertThat(m.stored()).isLessThanOrEqualTo(svdLlm.modules().get(i).stored());
        }
    }

    @Test
    void theSearchingMethodsMeetTheirBudgetOnTheDemoModel() {
        // tiny probe (2 windows x 64 tokens) and two layers, so the searches run in seconds
        java.util.function.Function<MethodId, MethodSettings> quick = id -> SharedOptions.withProbe(id.defaults(), 2, 64);
        Selection last2 = Selection.parse("3-4", null, context.checkpoint().config());
        for (MethodId method : new MethodId[] {MethodId.ASVD, MethodId.RESSVD, MethodId.DUO_SVD}) {
            for (double ratio : new double[] {0.3, 0.6}) {
                CompressionResult r = compressor.compress(new CompressionRequest(method, ratio, last2, quick.apply(method)), ProgressListener.NONE);
                assertThat(r.meetsTarget()).as(method + " at " + ratio + ": " + r.selected().effectiveRatio()).isTrue();
                assertThat(r.modules()).hasSize(14);
                assertThat(r.replacements().keySet()).allSatisfy(m -> assertThat(m).matches("model\\.layers\\.[34]\\..*"));
            }
        }
        CompressionResult ressvd = compressor.compress(new CompressionRequest(MethodId.RESSVD, 0.3, last2, quick.apply(MethodId.RESSVD)), ProgressListener.NONE);
        // N = 2 selected layers, R_o = 0.3: k_min = ceil(2 * 0.3 / 0.9) = 1, candidates {1, 2}
        assertThat(ressvd.details().get("ressvd.search")).contains("k=1", "k=2");
    }

    @Test
    void anEmptySelectionIsRefused() {
        Selection none = new Selection(new java.util.BitSet(), java.util.EnumSet.allOf(ProjectionKind.class));
        assertThatThrownBy(() -> compressor.compress(new CompressionRequest(MethodId.SVD, 0.4, none),
                ProgressListener.NONE)).hasMessageContaining("contains no matrix");
    }

    private static INDArray product(Linear linear) {
        LowRankLinear l = (LowRankLinear) linear;
        return l.a().castTo(DataType.DOUBLE).mmul(l.b().castTo(DataType.DOUBLE));
    }

    private static MatrixSpec spec(int layer, ProjectionKind kind) {
        return context.checkpoint().matrices().stream().filter(m -> m.layer() == layer && m.kind() == kind).findFirst().orElseThrow();
    }
}
