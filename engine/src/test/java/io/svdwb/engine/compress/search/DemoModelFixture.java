package io.svdwb.engine.compress.search;

import io.svdwb.engine.TestData;
import io.svdwb.engine.calibration.CalibrationSampler;
import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.LowRankFactors;
import io.svdwb.engine.compress.kernels.PlainSvd;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.DenseLinear;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.LowRankLinear;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.TextTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** The demo model (5 layers, hidden 64, vocab 512), 4 TinyStories windows of 64 tokens, a plain-SVD factory. */
final class DemoModelFixture implements AutoCloseable {

    static final LinearAlgebra LA = LinearAlgebra.cpu();
    static final int WINDOWS = 4;
    static final int TOKENS = 64;

    final Checkpoint checkpoint;
    final int[][] windows;
    private final Map<MatrixSpec, LowRankDecomposition> decompositions = new HashMap<>();

    DemoModelFixture() throws IOException {
        checkpoint = Checkpoint.open(TestData.demoModel());
        try (TextTokenizer tokenizer = TextTokenizer.open(TestData.demoModel())) {
            windows = new CalibrationSampler(tokenizer).sample(TestData.tinyStories(), WINDOWS, TOKENS, 233L).windows();
        }
    }

    LlamaModel newModel() {
        return new LlamaModel(checkpoint, LA, LlamaModel.Residency.KEEP);
    }

    /** Plain truncated SVD at rank k(p) = floor(p m n / (m + n)) (§2.3), factors cast to float. */
    ReplacementFactory plainSvd(LlamaModel model) {
        return (matrix, keptRatio) -> {
            LowRankDecomposition d = decompositions.computeIfAbsent(matrix, m -> decompose(model, m));
            LowRankFactors f = d.truncate(RankFromRatio.rank(matrix.rows(), matrix.cols(), 1 - keptRatio)).asFloat();
            return new LowRankLinear(f.a(), f.b(), null, LA);
        };
    }

    /** A replacement of fixed rank, for probes that just need "some damage". */
    Linear rank(LlamaModel model, MatrixSpec matrix, int k) {
        LowRankFactors f = decompositions.computeIfAbsent(matrix, m -> decompose(model, m)).truncate(k).asFloat();
        return new LowRankLinear(f.a(), f.b(), null, LA);
    }

    private static LowRankDecomposition decompose(LlamaModel model, MatrixSpec m) {
        try {
            DenseLinear dense = model.loadDense(m.layer(), m.kind());
            return PlainSvd.decompose(LA, dense.weight(), m.label());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        checkpoint.close();
    }
}
