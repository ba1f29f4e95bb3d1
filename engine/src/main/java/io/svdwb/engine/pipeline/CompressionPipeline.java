package io.svdwb.engine.pipeline;

import io.svdwb.engine.ToolVersion;
import io.svdwb.engine.compress.method.CompressedModels;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.CompressionResult;
import io.svdwb.engine.compress.method.Compressor;
import io.svdwb.engine.compress.method.CompressionMethod;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.eval.EvaluationTokens;
import io.svdwb.engine.eval.PerplexityEvaluator;
import io.svdwb.engine.eval.PerplexityResult;
import io.svdwb.engine.export.CheckpointExporter;
import io.svdwb.engine.export.CompressionRun;
import io.svdwb.engine.export.ExportRequest;
import io.svdwb.engine.export.ExportResult;
import io.svdwb.engine.export.FactoredCheckpoint;
import io.svdwb.engine.export.Manifest;
import io.svdwb.engine.files.TemporaryPaths;
import io.svdwb.engine.memory.MemoryBudget;
import io.svdwb.engine.memory.ResidentMemory;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.ForwardMemory;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.progress.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Compress, install, evaluate, export: the one use case behind {@code svdwb compress}, {@code svdwb sweep}, the
 * workbench's estimate and its export. A run compresses by a {@link PipelineRequest} (through the {@link Compressor},
 * so the context's calibration and decompositions are reused), installs the result in a model of its own, measures it
 * if asked, writes it with the one {@link Manifest} wording if asked, and reads the export back to measure it again if
 * asked; all within a {@link MemoryPolicy}: a model too large for the budget is streamed one decoder layer at a time and
 * its factors are spilled to a temporary folder as each matrix is done.
 *
 * <p>Progress and cancellation go through the caller's {@link ProgressListener}. One pipeline serves many runs on one
 * context (a sweep, the workbench's estimates), tokenizing each evaluation text once; runs take turns, because the
 * evaluation model is shared.
 */
public final class CompressionPipeline {

    /** The manifest's evaluation protocol of a run that measured nothing. */
    public static final String NOT_EVALUATED = "not evaluated";

    private record TextKey(Path text, String documentSeparator) {
    }

    private final CompressionContext context;
    private final Compressor compressor;
    private final Map<LlamaModel.Residency, LlamaModel> evaluationModels = new EnumMap<>(LlamaModel.Residency.class);
    private final Map<TextKey, EvaluationTokens> tokensByText = new HashMap<>();

    public CompressionPipeline(CompressionContext context) {
        this.context = context;
        this.compressor = new Compressor(context);
    }

    public CompressionContext context() {
        return context;
    }

    public synchronized PipelineResult run(PipelineRequest request, ProgressListener progress) throws IOException {
        ExportTarget export = request.export();
        checkExport(request.compression(), export);
        EvaluationTokens evaluation = request.evaluation() == null ? null : tokens(request.evaluation());
        ModelConfig config = context.checkpoint().config();
        LlamaModel.Residency residency = request.memory().residencyFor(config);
        MemoryBudget budget = request.memory().budget();
        CompressionMethod.MemoryNeed need = request.compression().method().method().extraMemory(config, request.compression().settings());
        if (need != null) {
            budget.require(need.bytes(), need.purpose());
        }
        Path spill = residency == LlamaModel.Residency.STREAM ? spillFolderName() : null;
        try (TemporaryPaths.Registration registration = spill != null ? TemporaryPaths.register(spill) : null) {
            try {
                if (spill != null) {
                    Files.createDirectory(spill);
                }
                CompressionResult result = compressor.compress(request.compression(), spill, progress);
                progress.throwIfCancelled();
                PerplexityResult inMemory = evaluation == null ? null : evaluateInstalled(result, evaluation, residency, budget, progress);
                Manifest manifest = manifest(result, evaluation == null ? null : evaluation.protocol());
                ExportResult written = null;
                PerplexityResult reloaded = null;
                if (export != null) {
                    progress.throwIfCancelled();
                    written = new CheckpointExporter(context.linearAlgebra()).export(new ExportRequest(context.checkpoint(),
                            result.replacements(), manifest, export.format(), export.overwrite(), result.exportSidecars()),
                            export.folder(), progress);
                    if (export.evaluateReloaded()) {
                        reloaded = evaluateExport(written.folder(), evaluation, residency, budget, progress);
                    }
                }
                return new PipelineResult(result, manifest, evaluation == null ? null : evaluation.protocol(), inMemory, written,
                        reloaded, residency, ResidentMemory.peakBytes());
            } finally {
                if (spill != null) {
                    TemporaryPaths.deleteRecursively(spill);
                }
            }
        }
    }

    /** The uncompressed model's perplexity by {@code protocol} (a sweep's baseline). */
    public synchronized PerplexityResult evaluateUncompressed(EvaluationProtocol protocol, MemoryPolicy memory, ProgressListener progress)
            throws IOException {
        EvaluationTokens evaluation = tokens(protocol);
        LlamaModel model = evaluationModel(memory.residencyFor(context.checkpoint().config()));
        model.clearReplacements();
        return new PerplexityEvaluator(model).evaluate(evaluation, memory.budget(), progress);
    }

    /**
     * The manifest of {@code result}: the method, the context's calibration, this tool's name and version, and the
     * protocol it was measured by ({@value #NOT_EVALUATED} for null).
     */
    public Manifest manifest(CompressionResult result, EvaluationProtocol measuredBy) {
        CompressionRequest request = result.request();
        boolean calibrated = request.method().needsCalibration();
        CompressionRun run = new CompressionRun(request.method().cliName(), request.ratio(),
                calibrated ? String.valueOf(context.calibrationText()) : null, calibrated ? context.calibrationSettings().samples() : 0,
                calibrated ? context.calibrationLength() : 0, context.calibrationSettings().seed(), ToolVersion.current(),
                measuredBy != null ? measuredBy.describe() : NOT_EVALUATED, request.settings().asText());
        return Manifest.describe(run, context.checkpoint(), result.replacements(), request.factorStorage());
    }

    /** Refuses, before any compression, an export that could not be written. */
    private void checkExport(CompressionRequest compression, ExportTarget export) throws IOException {
        if (export == null) {
            return;
        }
        String problem = ExportTarget.storageProblem(context.checkpoint(), compression);
        if (problem != null) {
            throw new IllegalArgumentException(problem + ", so an export could not hold the result; measure it without exporting");
        }
        CheckpointExporter.checkTarget(export.folder(), context.modelDir(), export.overwrite());
    }

    private PerplexityResult evaluateInstalled(CompressionResult result, EvaluationTokens evaluation, LlamaModel.Residency residency,
            MemoryBudget budget, ProgressListener progress) {
        LlamaModel model = CompressedModels.install(evaluationModel(residency), result);
        try {
            return new PerplexityEvaluator(model).evaluate(evaluation, budget, progress);
        } finally {
            // the factors may be large, and the next run installs its own
            model.clearReplacements();
        }
    }

    private PerplexityResult evaluateExport(Path folder, EvaluationTokens evaluation, LlamaModel.Residency residency, MemoryBudget budget,
            ProgressListener progress) throws IOException {
        try (Checkpoint exported = FactoredCheckpoint.open(folder)) {
            LlamaModel model = FactoredCheckpoint.model(exported, context.linearAlgebra(), residency);
            return new PerplexityEvaluator(model).evaluate(evaluation, budget, progress);
        }
    }

    /** Its own model, not the context's: the methods' probes install replacements there. */
    private LlamaModel evaluationModel(LlamaModel.Residency residency) {
        return evaluationModels.computeIfAbsent(residency, r -> new LlamaModel(context.checkpoint(), context.linearAlgebra(), r));
    }

    private EvaluationTokens tokens(EvaluationProtocol protocol) throws IOException {
        ModelConfig config = context.checkpoint().config();
        EvaluationProtocol resolved = protocol.resolvedFor(config);
        TextKey key = new TextKey(protocol.text(), protocol.documentSeparator());
        EvaluationTokens cached = tokensByText.get(key);
        if (cached != null) {
            return cached.under(resolved);
        }
        EvaluationTokens fresh = resolved.tokenize(context.modelDir(), config);
        tokensByText.put(key, fresh);
        return fresh;
    }

    /** A name for the factor spill folder, registered for removal before the folder exists. */
    private static Path spillFolderName() {
        return Path.of(System.getProperty("java.io.tmpdir")).resolve("svdwb-factors-" + UUID.randomUUID());
    }
}
