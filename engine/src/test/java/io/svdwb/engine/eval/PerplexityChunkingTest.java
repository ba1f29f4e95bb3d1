package io.svdwb.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.engine.TestData;
import io.svdwb.engine.linalg.CpuLinearAlgebra;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.TextTokenizer;
import io.svdwb.engine.progress.ProgressListener;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scoring the logits in chunks of positions. With the default chunk, a batch of the demo model (vocabulary 512) is one
 * chunk, the same matrix product as the evaluator's former path over {@link LlamaModel#forward(int[][])}, and the
 * perplexity is the same double, bit for bit. Smaller chunks change the shape of the output projection's product, and
 * OpenBLAS's float32 sgemm then rounds some logits differently (as a different --batch always did): the perplexity
 * moves by about 1e-8 relative, far inside the float64 reference of reference_ppl.json.
 */
class PerplexityChunkingTest {

    private static final int CTX = 256;
    private static final int MAX_TOKENS = 20_480;
    private static int[] tokens;

    @BeforeAll
    static void tokenize() throws Exception {
        try (TextTokenizer tokenizer = TextTokenizer.open(TestData.demoModel())) {
            tokens = EvaluationText.tokenize(Files.readString(TestData.wikiTestRaw()), tokenizer, null);
        }
    }

    /** The perplexity from whole-batch logits, summed in the same position order: the path the evaluator replaced. */
    private static double fromFullLogits(LlamaModel model, int batch) {
        int vocab = model.config().vocabSize();
        int windows = MAX_TOKENS / CTX;
        double sum = 0;
        for (int first = 0; first < windows; first += batch) {
            int count = Math.min(batch, windows - first);
            int[][] sequences = new int[count][];
            for (int s = 0; s < count; s++) {
                sequences[s] = java.util.Arrays.copyOfRange(tokens, (first + s) * CTX, (first + s + 1) * CTX);
            }
            float[] logits = model.forward(sequences);
            for (int s = 0; s < count; s++) {
                for (int t = 0; t < CTX - 1; t++) {
                    int row = s * CTX + t;
                    sum += TokenLogProbabilities.logSumExp(logits, row * vocab, vocab) - logits[row * vocab + sequences[s][t + 1]];
                }
            }
        }
        return Math.exp(sum / ((long) windows * (CTX - 1)));
    }

    @Test
    void chunkedScoringMatchesTheFullLogits() throws Exception {
        try (Checkpoint checkpoint = Checkpoint.open(TestData.demoModel())) {
            LlamaModel model = new LlamaModel(checkpoint, new CpuLinearAlgebra(), LlamaModel.Residency.KEEP);
            int batch = EvaluationProtocol.defaultBatch(CTX);
            double full = fromFullLogits(model, batch);
            PerplexityEvaluator evaluator = new PerplexityEvaluator(model);
            PerplexityResult byDefault = evaluator.evaluate(tokens, CTX, MAX_TOKENS, batch, ProgressListener.NONE);
            assertThat(byDefault.perplexity()).isEqualTo(full);
            assertThat(evaluator.evaluate(tokens, CTX, MAX_TOKENS, batch, batch * CTX, ProgressListener.NONE).perplexity())
                    .isEqualTo(full);
            // 1 row, a chunk that straddles window ends, exactly one window
            for (int chunk : new int[] {1, 37, CTX}) {
                PerplexityResult r = evaluator.evaluate(tokens, CTX, MAX_TOKENS, batch, chunk, ProgressListener.NONE);
                assertThat(r.perplexity()).as("chunk of %d rows", chunk).isCloseTo(full, within(full * 1e-7));
                assertThat(r.tokensPredicted()).isEqualTo((long) (MAX_TOKENS / CTX) * (CTX - 1));
                assertThat(r.perplexity()).isCloseTo(118.00072308178991, within(118.0 * 5e-4));
            }
            // reference_ppl.json, wiki.test.raw at window 256 and 20,480 tokens (float64, tools/ref_llama.py)
            assertThat(byDefault.perplexity()).isCloseTo(118.00072308178991, within(118.0 * 5e-4));
        }
    }

    /**
     * Layer-major: a group of batches runs through each layer before the next, with the model kept or streamed. Every
     * batch gets exactly the arithmetic of the batch-by-batch pass and the NLL is summed in the same order, so the
     * perplexity is the same double, bit for bit, whatever the group size and residency.
     */
    @Test
    void layerMajorGroupsAndStreamingGiveTheSamePerplexity() throws Exception {
        try (Checkpoint checkpoint = Checkpoint.open(TestData.demoModel())) {
            int batch = 3; // 80 windows: 27 batches, the last one shorter
            double full = fromFullLogits(new LlamaModel(checkpoint, new CpuLinearAlgebra(), LlamaModel.Residency.KEEP), batch);
            int chunk = LlamaModel.defaultLogitChunkRows(checkpoint.config().vocabSize());
            for (LlamaModel.Residency residency : LlamaModel.Residency.values()) {
                PerplexityEvaluator evaluator = new PerplexityEvaluator(new LlamaModel(checkpoint, new CpuLinearAlgebra(), residency));
                for (long group : new long[] {1, (long) batch * CTX * 4, Long.MAX_VALUE}) {
                    PerplexityResult r = evaluator.evaluate(tokens, CTX, MAX_TOKENS, batch, chunk, group, ProgressListener.NONE);
                    assertThat(r.perplexity()).as("%s, groups of %d tokens", residency, group).isEqualTo(full);
                }
            }
        }
    }
}
