package io.svdwb.engine.workbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.engine.TestData;
import io.svdwb.engine.calibration.Calibration;
import io.svdwb.engine.calibration.CalibrationCache;
import io.svdwb.engine.calibration.CalibrationSettings;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.method.CompressedModels;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.CompressionResult;
import io.svdwb.engine.compress.method.Compressor;
import io.svdwb.engine.compress.method.DecompositionCache;
import io.svdwb.engine.compress.method.DecompositionRecipe;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.compress.kernels.ResidualSvd;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.eval.EvaluationText;
import io.svdwb.engine.eval.PerplexityEvaluator;
import io.svdwb.engine.eval.PerplexityResult;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.model.TextTokenizer;
import io.svdwb.engine.progress.CancelledException;
import io.svdwb.engine.progress.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkbenchSessionTest {

    /** 16 windows of 128 tokens: the CLI run quoted below used --calib-samples 16 --calib-length 128. */
    private static final CalibrationSettings SMALL = CalibrationSettings.defaults().withSamples(16).withWindowLength(128);
    private static final EvaluationProtocol FIRST_4096 = EvaluationProtocol.of(TestData.wikiTestRaw(), 256, 4096);

    @TempDir
    static Path cache;
    static WorkbenchSession session;

    @BeforeAll
    static void open() throws Exception {
        session = WorkbenchSession.open(TestData.demoModel(), TestData.wikiTrainHead(), SMALL, new CalibrationCache(cache),
                LinearAlgebra.cpu());
    }

    @AfterAll
    static void close() throws Exception {
        session.close();
    }

    @Test
    void anEstimateIsCompressThenEvaluateAndEqualsTheEngineCalledDirectly() throws Exception {
        CompressionRequest request = request(MethodId.SVD_LLM, 0.4);
        PerplexityEstimate estimate = session.estimate(request, FIRST_4096, ProgressListener.NONE);
        assertThat(session.isCalibrated()).isTrue();

        // The same steps by hand, on a second context over the same calibration cache.
        try (CompressionContext context = new CompressionContext(TestData.demoModel(), TestData.wikiTrainHead(), SMALL,
                new Calibration(new CalibrationCache(cache), LinearAlgebra.cpu()), LinearAlgebra.cpu(), new DecompositionCache(64L << 20));
             TextTokenizer tokenizer = TextTokenizer.open(TestData.demoModel())) {
            CompressionResult result = new Compressor(context).compress(request, ProgressListener.NONE);
            LlamaModel model = CompressedModels.install(new LlamaModel(context.checkpoint(), LinearAlgebra.cpu(), LlamaModel.Residency.KEEP), result);
            int[] tokens = EvaluationText.tokenize(Files.readString(TestData.wikiTestRaw()), tokenizer, null);
            PerplexityResult direct = new PerplexityEvaluator(model).evaluate(tokens, 256, 4096, 8, ProgressListener.NONE);
            assertThat(estimate.perplexity().perplexity()).isEqualTo(direct.perplexity());
            assertThat(estimate.realised()).isEqualTo(result.selected());
        }
        // `svdwb compress --method svd-llm --ratio 0.4 --calib-samples 16 --calib-length 128 --eval --max-tokens 4096 --ctx 256`
        // printed 218.8535.
        assertThat(estimate.perplexity().perplexity()).isCloseTo(218.8535, within(5e-5));
        assertThat(estimate.perplexity().windows()).isEqualTo(16);
        assertThat(estimate.modules()).hasSize(35);
        assertThat(estimate.request()).isEqualTo(request);
        assertThat(estimate.protocol()).isEqualTo(FIRST_4096);
    }

    @Test
    void aSecondEstimateLeavesNoReplacementBehind() {
        double svdFirst = session.estimate(request(MethodId.SVD, 0.3), FIRST_4096, ProgressListener.NONE).perplexity().perplexity();
        session.estimate(request(MethodId.SVD, 0.8), FIRST_4096, ProgressListener.NONE);
        double svdAgain = session.estimate(request(MethodId.SVD, 0.3), FIRST_4096, ProgressListener.NONE).perplexity().perplexity();
        assertThat(svdAgain).isEqualTo(svdFirst);
    }

    @Test
    void spectraAreTheSingularValuesOfTheCachedDecompositions() {
        CompressionContext context = session.context();
        MatrixSpec down = spec(2, ProjectionKind.DOWN);
        MatrixSpectrum s = session.spectrum(down, true, ProgressListener.NONE);
        LowRankDecomposition plain = context.decomposition(new DecompositionRecipe.Plain(), down, ProgressListener.NONE);
        LowRankDecomposition whitened = context.decomposition(new DecompositionRecipe.Whitened(WorkbenchSession.SPECTRUM_WHITENING),
                down, ProgressListener.NONE);
        assertThat(s.raw()).containsExactly(plain.singularValues());
        assertThat(s.whitened()).containsExactly(whitened.singularValues());
        assertThat(s.fullRank()).isEqualTo(64);
        for (int k = 0; k <= 64; k += 9) {
            assertThat(s.cut(k).rawLoss()).isEqualTo(plain.truncationLoss(k));
            assertThat(s.cut(k).whitenedLoss()).isEqualTo(whitened.truncationLoss(k));
        }
        // SVD-LLM compressions use the same recipe, so plotting a spectrum fills the cache they read.
        assertThat(context.decompositions().contains(new DecompositionRecipe.Whitened(io.svdwb.engine.compress.kernels.Whitening.Options.DEFAULT), down)).isTrue();
    }

    @Test
    void layerSpectraFollowProjectionOrder() {
        List<MatrixSpectrum> spectra = session.layerSpectra(4, false, ProgressListener.NONE);
        assertThat(spectra).extracting(m -> m.matrix().kind()).containsExactly(ProjectionKind.values());
        assertThat(spectra).allSatisfy(m -> assertThat(m.matrix().layer()).isEqualTo(4));
        assertThat(spectra).extracting(MatrixSpectrum::fullRank).containsExactly(64, 32, 32, 64, 64, 64, 64);
        assertThat(spectra).noneMatch(MatrixSpectrum::hasWhitened);
        assertThatThrownBy(() -> session.layerSpectra(5, false, ProgressListener.NONE)).hasMessageContaining("no decoder layer 5");
    }

    @Test
    void cancelledWorkStopsWithCancelledException() {
        ProgressListener cancelled = new ProgressListener() {
            @Override public void begin(String phase, long totalUnits) { }
            @Override public void advanceTo(long unitsDone) { }
            @Override public void end() { }
            @Override public boolean isCancelled() { return true; }
        };
        assertThatThrownBy(() -> session.layerSpectra(1, false, cancelled)).isInstanceOf(CancelledException.class);
        assertThatThrownBy(() -> session.estimate(request(MethodId.SVD, 0.5), FIRST_4096, cancelled)).isInstanceOf(CancelledException.class);
    }

    @Test
    void anEngineErrorReachesTheCallerWithItsMessage() {
        CompressionRequest tooManyLayers = new CompressionRequest(MethodId.RESSVD, 0.4, request(MethodId.RESSVD, 0.4).selection(),
                MethodId.RESSVD.defaults().with("ressvd-layers", "9"));
        assertThatThrownBy(() -> session.estimate(tooManyLayers, FIRST_4096, ProgressListener.NONE))
                .hasMessageContaining("k must be between 1 and the 5 selected layers, got 9");
    }

    private static CompressionRequest request(MethodId method, double ratio) {
        return new CompressionRequest(method, ratio, Selection.all(session.context().checkpoint().config()));
    }

    private static MatrixSpec spec(int layer, ProjectionKind kind) {
        return session.context().checkpoint().matrices().stream().filter(m -> m.layer() == layer && m.kind() == kind).findFirst().orElseThrow();
    }
}
