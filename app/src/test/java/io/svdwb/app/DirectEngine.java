package io.svdwb.app;

import io.svdwb.engine.calibration.Calibration;
import io.svdwb.engine.calibration.CalibrationCache;
import io.svdwb.engine.calibration.CalibrationSettings;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.CompressedModels;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.CompressionResult;
import io.svdwb.engine.compress.method.Compressor;
import io.svdwb.engine.compress.method.DecompositionCache;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.eval.EvaluationText;
import io.svdwb.engine.eval.PerplexityEvaluator;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.TextTokenizer;
import io.svdwb.engine.progress.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The engine called directly, as a test's independent computation of what the window should show: its own
 * compression context (over the same calibration cache), {@link Compressor} and {@link PerplexityEvaluator}.
 */
final class DirectEngine implements AutoCloseable {

    private final CompressionContext context;
    private final Path evaluationText;

    DirectEngine(Path modelDir, EngineSettings settings, CalibrationSettings calibration) throws Exception {
        this.context = new CompressionContext(modelDir, settings.calibrationText(), calibration,
                new Calibration(new CalibrationCache(settings.calibrationCache().root()), LinearAlgebra.cpu()), LinearAlgebra.cpu(),
                new DecompositionCache(64L << 20));
        this.evaluationText = settings.evaluationText();
    }

    CompressionContext context() {
        return context;
    }

    /** The perplexity of {@code method} at {@code ratio} (default options) on the first {@code maxTokens} tokens, windows of {@code ctx}. */
    double perplexity(MethodId method, double ratio, int ctx, long maxTokens) throws Exception {
        return perplexity(new CompressionRequest(method, ratio, Selection.all(context.checkpoint().config()), CompressionSettingsModel.interactive(method)), ctx, maxTokens);
    }

    double perplexity(CompressionRequest request, int ctx, long maxTokens) throws Exception {
        CompressionResult result = new Compressor(context).compress(request, ProgressListener.NONE);
        LlamaModel model = CompressedModels.install(new LlamaModel(context.checkpoint(), LinearAlgebra.cpu(), LlamaModel.Residency.KEEP), result);
        try (TextTokenizer tokenizer = TextTokenizer.open(context.modelDir())) {
            int[] tokens = EvaluationText.tokenize(Files.readString(evaluationText), tokenizer, null);
            // The command line's batch: as many windows as fit in 2048 tokens.
            return new PerplexityEvaluator(model).evaluate(tokens, ctx, maxTokens, EvaluationProtocol.defaultBatch(ctx), ProgressListener.NONE).perplexity();
        }
    }

    @Override
    public void close() throws Exception {
        context.close();
    }
}
