package io.svdwb.app.session;

import io.svdwb.engine.calibration.CalibrationSettings;
import io.svdwb.engine.compress.kernels.RealisedRatio;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.ModuleOutcome;
import io.svdwb.engine.eval.PerplexityResult;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.workbench.PerplexityEstimate;
import java.nio.file.Path;
import java.util.List;

/**
 * The JSON layout of a session's shown estimate (from svdwb-session-v3 on): the number, how it was measured
 * (text, ctx, tokens, batch), the calibration it was computed with, the realised ratio and each matrix's outcome,
 * so that reopening shows exactly what was shown. Its compression is the session's.
 *
 * @param protocol    the evaluation protocol: {@code maxTokens} 0 = the whole text
 * @param calibration the calibration settings of the session the estimate was computed in
 */
record EstimateFile(Result result, Protocol protocol, Calibration calibration, Realised realised, List<Module> modules) {

    record Result(double perplexity, double meanNll, long tokensPredicted, int windows, int ctx, long textTokens, long tokensUsed,
                  long nonFinitePredictions, double seconds) {
    }

    record Protocol(String text, int ctx, long maxTokens, int batch) {
    }

    record Calibration(int samples, int windowLength, long seed, int windowsPerBatch) {
    }

    record Realised(long originalParameters, long keptParameters, long modelParameters) {
    }

    /** @param loss null where the method's loss is not defined (JSON has no NaN) */
    record Module(int layer, String module, String tensor, int rows, int cols, int rank, int keptColumns, long stored, Double loss) {
    }

    static EstimateFile of(SavedEstimate saved) {
        PerplexityEstimate e = saved.estimate();
        PerplexityResult r = e.perplexity();
        EvaluationProtocol p = e.protocol();
        CalibrationSettings c = saved.calibration();
        return new EstimateFile(new Result(r.perplexity(), r.meanNll(), r.tokensPredicted(), r.windows(), r.ctx(), r.textTokens(),
                r.tokensUsed(), r.nonFinitePredictions(), r.seconds()),
                new Protocol(p.text().toString(), p.ctx(), p.maxTokens(), p.batch()),
                new Calibration(c.samples(), c.windowLength(), c.seed(), c.windowsPerBatch()),
                new Realised(e.realised().originalParameters(), e.realised().keptParameters(), e.realised().modelParameters()),
                e.modules().stream().map(m -> new Module(m.matrix().layer(), m.matrix().kind().shortName(), m.matrix().tensorName(),
                        m.matrix().rows(), m.matrix().cols(), m.rank(), m.keptColumns(), m.stored(),
                        Double.isNaN(m.loss()) ? null : m.loss())).toList());
    }

    /** The estimate of {@code compression}; an {@link IllegalArgumentException} names the first impossible value. */
    SavedEstimate toSaved(CompressionRequest compression) {
        if (result == null || protocol == null || calibration == null || realised == null || modules == null || protocol.text() == null) {
            throw new IllegalArgumentException("estimate: result, protocol (with its text), calibration, realised and modules are required");
        }
        PerplexityResult r = new PerplexityResult(result.perplexity(), result.meanNll(), result.tokensPredicted(), result.windows(),
                result.ctx(), result.textTokens(), result.tokensUsed(), result.nonFinitePredictions(), result.seconds());
        List<ModuleOutcome> outcomes = modules.stream().map(m -> new ModuleOutcome(new MatrixSpec(m.layer(), ProjectionKind.parse(m.module()),
                m.tensor(), m.rows(), m.cols()), m.rank(), m.keptColumns(), m.stored(), m.loss() == null ? Double.NaN : m.loss())).toList();
        PerplexityEstimate estimate = new PerplexityEstimate(compression,
                new EvaluationProtocol(Path.of(protocol.text()), protocol.ctx(), protocol.maxTokens(), protocol.batch(), null), r,
                new RealisedRatio(realised.originalParameters(), realised.keptParameters(), realised.modelParameters()), outcomes);
        return new SavedEstimate(estimate, new CalibrationSettings(calibration.samples(), calibration.windowLength(), calibration.seed(),
                calibration.windowsPerBatch()));
    }
}
