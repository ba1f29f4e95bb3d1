package io.svdwb.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.engine.TestData;
import io.svdwb.engine.ToolVersion;
import io.svdwb.engine.calibration.Calibration;
import io.svdwb.engine.calibration.CalibrationCache;
import io.svdwb.engine.calibration.CalibrationSettings;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.DecompositionCache;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.export.CheckpointExporter;
import io.svdwb.engine.export.ExportFormat;
import io.svdwb.engine.export.Manifest;
import io.svdwb.engine.files.TemporaryPaths;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.memory.InsufficientMemoryException;
import io.svdwb.engine.memory.MemoryBudget;
import io.svdwb.engine.model.ForwardMemory;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.SpilledLowRankLinear;
import io.svdwb.engine.progress.CancelledException;
import io.svdwb.engine.progress.ProgressListener;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one compress, install, evaluate, export use case on the demo model. */
class CompressionPipelineTest {

    private static final CalibrationSettings SMALL = CalibrationSettings.defaults().withSamples(16).withWindowLength(128);
    private static final EvaluationProtocol FIRST_4096 = EvaluationProtocol.of(TestData.wikiTestRaw(), 256, 4096);

    @TempDir
    static Path cache;
    static CompressionContext context;
    static CompressionPipeline pipeline;

    @BeforeAll
    static void open() throws Exception {
        LinearAlgebra linalg = LinearAlgebra.cpu();
        context = new CompressionContext(TestData.demoModel(), TestData.wikiTrainHead(), SMALL,
                new Calibration(new CalibrationCache(cache), linalg), linalg, new DecompositionCache(64L << 20));
        pipeline = new CompressionPipeline(context);
    }

    @AfterAll
    static void close() throws Exception {
        context.close();
    }

    @Test
    void aRunCompressesMeasuresWritesAndMeasuresTheExportReadBack(@TempDir Path out) throws Exception {
        Path folder = out.resolve("svd-llm-0.4");
        PipelineRequest request = PipelineRequest.of(request(MethodId.SVD_LLM, 0.4)).evaluatedBy(FIRST_4096)
                .exportedTo(new ExportTarget(folder, ExportFormat.FACTORED, false, true))
                .within(new MemoryPolicy(MemoryBudget.defaultBudget(), LlamaModel.Residency.KEEP));
        PipelineResult result = pipeline.run(request, ProgressListener.NONE);

        // `svdwb compress --method svd-llm --ratio 0.4 --calib-samples 16 --calib-length 128 --eval --max-tokens 4096 --ctx 256`
        // printed 218.8535 (as in WorkbenchSessionTest).
        assertThat(result.perplexity().perplexity()).isCloseTo(218.8535, within(5e-5));
        assertThat(result.reloadedPerplexity().perplexity()).isCloseTo(result.perplexity().perplexity(),
                within(1e-6 * result.perplexity().perplexity()));
        assertThat(result.evaluation()).isEqualTo(FIRST_4096);
        assertThat(result.residency()).isEqualTo(LlamaModel.Residency.KEEP);
        assertThat(result.export().folder()).isEqualTo(folder.toAbsolutePath().normalize());

        Manifest written = Manifest.fromJson(Files.readString(folder.resolve(CheckpointExporter.MANIFEST)));
        assertThat(written).isEqualTo(result.manifest().withFormat(ExportFormat.FACTORED));
        assertThat(written.toolVersion()).isEqualTo(ToolVersion.current()).startsWith("svdwb ");
        assertThat(written.evaluationProtocol()).isEqualTo("wiki.test.raw, first 4,096 tokens, ctx 256");
        assertThat(written.calibrationData()).isEqualTo(TestData.wikiTrainHead().toString());
        assertThat(written.calibrationSamples()).isEqualTo(16);
        assertThat(written.sequenceLength()).isEqualTo(128);
    }

    @Test
    void aStreamedRunGivesTheSameNumberAndRemovesItsSpilledFactors() throws Exception {
        PipelineRequest kept = PipelineRequest.of(request(MethodId.SVD, 0.3)).evaluatedBy(FIRST_4096)
                .within(new MemoryPolicy(MemoryBudget.defaultBudget(), LlamaModel.Residency.KEEP));
        PipelineResult inMemory = pipeline.run(kept, ProgressListener.NONE);
        PipelineResult streamed = pipeline.run(kept.within(new MemoryPolicy(MemoryBudget.defaultBudget(), LlamaModel.Residency.STREAM)),
                ProgressListener.NONE);

        assertThat(streamed.residency()).isEqualTo(LlamaModel.Residency.STREAM);
        assertThat(streamed.perplexity().perplexity()).isEqualTo(inMemory.perplexity().perplexity());
        assertThat(streamed.compression().modules()).isEqualTo(inMemory.compression().modules());
        Linear spilled = streamed.compression().replacements().values().iterator().next();
        assertThat(spilled).isInstanceOf(SpilledLowRankLinear.class);
        // the spill folder went with the run
        assertThatThrownBy(((SpilledLowRankLinear) spilled)::load).hasRootCauseInstanceOf(NoSuchFileException.class);
        assertThat(TemporaryPaths.inProgress()).noneMatch(p -> p.getFileName().toString().startsWith("svdwb-factors-"));
    }

    @Test
    void anExportThatCannotBeWrittenIsRefusedBeforeAnyCompression(@TempDir Path out) throws Exception {
        Path existing = Files.createDirectory(out.resolve("existing"));
        List<String> phases = new ArrayList<>();
        ProgressListener recording = new ProgressListener() {
            @Override public void begin(String phase, long totalUnits) { phases.add(phase); }
            @Override public void advanceTo(long unitsDone) { }
            @Override public void end() { }
            @Override public boolean isCancelled() { return false; }
        };
        PipelineRequest request = PipelineRequest.of(request(MethodId.SVD, 0.3))
                .exportedTo(new ExportTarget(existing, ExportFormat.DENSE, false, false));
        assertThatThrownBy(() -> pipeline.run(request, recording)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(phases).isEmpty();
        assertThatThrownBy(() -> PipelineRequest.of(request(MethodId.SVD, 0.3))
                .exportedTo(new ExportTarget(existing, ExportFormat.DENSE, true, true)))
                .hasMessageContaining("needs an evaluation protocol");
    }

    @Test
    void aCancelledRunStopsWithCancelledException() {
        ProgressListener cancelled = new ProgressListener() {
            @Override public void begin(String phase, long totalUnits) { }
            @Override public void advanceTo(long unitsDone) { }
            @Override public void end() { }
            @Override public boolean isCancelled() { return true; }
        };
        assertThatThrownBy(() -> pipeline.run(PipelineRequest.of(request(MethodId.SVD, 0.5)).evaluatedBy(FIRST_4096), cancelled))
                .isInstanceOf(CancelledException.class);
    }

    @Test
    void aSweepIsOnePipelineRunPerCellAfterTheUncompressedBaseline() throws Exception {
        MemoryPolicy memory = MemoryPolicy.defaults();
        List<String> phases = new ArrayList<>();
        ProgressListener recording = new ProgressListener() {
            @Override public void begin(String phase, long totalUnits) { phases.add(phase); }
            @Override public void advanceTo(long unitsDone) { }
            @Override public void end() { }
            @Override public boolean isCancelled() { return false; }
        };
        List<SweepRow> rows = new Sweep(pipeline).run(List.of(MethodId.SVD), List.of(0.2, 0.4), Selection.all(context.checkpoint().config()),
                MethodId::defaults, FIRST_4096, memory, recording, row -> { });

        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).baseline()).isTrue();
        assertThat(rows.get(0).perplexity().perplexity())
                .isEqualTo(pipeline.evaluateUncompressed(FIRST_4096, memory, ProgressListener.NONE).perplexity());
        PipelineResult alone = pipeline.run(PipelineRequest.of(request(MethodId.SVD, 0.4)).evaluatedBy(FIRST_4096), ProgressListener.NONE);
        assertThat(rows.get(2).perplexity().perplexity()).isEqualTo(alone.perplexity().perplexity());
        assertThat(rows.get(2).compression().modules()).isEqualTo(alone.compression().modules());
        assertThat(phases).contains("Evaluating the uncompressed model", "[1/2] Evaluating svd at 0.20", "[2/2] Evaluating svd at 0.40");
    }

    /**
     * SoCo trains on whole models (a float32 teacher and a double student): a budget below that is refused before
     * anything runs, with the figure. LLaMA-7B's 6,738,415,616 parameters need 3 x 4 bytes each plus the runtime.
     */
    @Test
    void socoIsRefusedWhenItsWholeModelsDoNotFitTheBudget() {
        assertThat(ForwardMemory.socoTrainingBytes(io.svdwb.engine.bench.SyntheticCheckpoint.llama7b(32)))
                .isEqualTo(ForwardMemory.RUNTIME_BYTES + 12L * 6_738_415_616L);
        long needed = ForwardMemory.socoTrainingBytes(context.checkpoint().config());
        PipelineRequest request = PipelineRequest.of(request(MethodId.SOCO, 0.4))
                .within(new MemoryPolicy(new MemoryBudget(needed - 1), null));
        assertThatThrownBy(() -> pipeline.run(request, ProgressListener.NONE)).isInstanceOf(InsufficientMemoryException.class)
                .hasMessageContaining("SoCo's training");
    }

    private static CompressionRequest request(MethodId method, double ratio) {
        return new CompressionRequest(method, ratio, Selection.all(context.checkpoint().config()));
    }
}
