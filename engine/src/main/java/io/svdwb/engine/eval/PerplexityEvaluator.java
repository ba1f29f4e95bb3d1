package io.svdwb.engine.eval;

import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.memory.MemoryBudget;
import io.svdwb.engine.model.ForwardMemory;
import io.svdwb.engine.model.ProjectionInputListener;
import io.svdwb.engine.progress.ProgressListener;
import java.util.ArrayList;
import java.util.List;

/**
 * Perplexity by the protocol of docs/METHODS.md §5.1: non-overlapping windows of {@code ctx} tokens cut
 * from the start of the token stream, the tail dropped, each window run from position 0, and the NLL
 * averaged over positions 1..ctx-1 of every window.
 */
public final class PerplexityEvaluator {

    private final LlamaModel model;

    public PerplexityEvaluator(LlamaModel model) {
        this.model = model;
    }

    /** The name of the phase an evaluation reports to its {@link ProgressListener}. */
    public static final String PHASE = "perplexity";

    /** The perplexity by {@code evaluation}'s protocol, its windows grouped by {@link #defaultGroupTokens}. */
    public PerplexityResult evaluate(EvaluationTokens evaluation, ProgressListener progress) {
        EvaluationProtocol p = evaluation.protocol();
        return evaluate(evaluation.tokens(), p.ctx(), p.maxTokens(), p.batch(), progress);
    }

    /**
     * The perplexity by {@code evaluation}'s protocol within {@code budget}: refused before it starts when one batch does
     * not fit beside the model (kept or streamed, as it is), and its windows grouped as the budget allows.
     */
    public PerplexityResult evaluate(EvaluationTokens evaluation, MemoryBudget budget, ProgressListener progress) {
        EvaluationProtocol p = evaluation.protocol();
        ModelConfig config = model.config();
        boolean streamed = model.residency() == LlamaModel.Residency.STREAM;
        budget.require(ForwardMemory.passBytes(config, streamed, (long) p.batch() * p.ctx(), p.batch(), p.ctx()),
                "evaluating " + p.batch() + " window(s) of " + p.ctx() + " tokens at a time with the model "
                        + (streamed ? "streamed one layer at a time" : "in memory"));
        long group = ForwardMemory.groupTokens(config, streamed, budget.bytes(), p.batch(), p.ctx(), evaluation.usableTokens());
        return evaluate(evaluation.tokens(), p.ctx(), p.maxTokens(), p.batch(), LlamaModel.defaultLogitChunkRows(config.vocabSize()),
                group, progress);
    }

    /**
     * @param tokens     the protocol's token stream (see {@link EvaluationText})
     * @param ctx        window length, at least 2
     * @param maxTokens  use only the first this many tokens (BOS included); 0 or negative for all
     * @param batch      windows run together in one forward pass
     */
    public PerplexityResult evaluate(int[] tokens, int ctx, long maxTokens, int batch, ProgressListener progress) {
        return evaluate(tokens, ctx, maxTokens, batch, LlamaModel.defaultLogitChunkRows(model.config().vocabSize()), progress);
    }

    /** As {@link #evaluate(int[], int, long, int, int, long, ProgressListener)} with the default group size. */
    public PerplexityResult evaluate(int[] tokens, int ctx, long maxTokens, int batch, int logitChunkRows,
            ProgressListener progress) {
        return evaluate(tokens, ctx, maxTokens, batch, logitChunkRows, defaultGroupTokens(model.config()), progress);
    }

    /**
     * Positions whose residual streams a layer-major pass holds at once by default: a quarter of the default memory
     * budget's worth of them [OURS], so a 7B model's 300k-token evaluation runs in groups of about 200k tokens on a
     * 24 GB machine and a small model's in one.
     */
    public static long defaultGroupTokens(ModelConfig config) {
        return Math.max(1, MemoryBudget.defaultBudget().bytes() / 4 / ForwardMemory.hiddenBytes(config, 1));
    }

    /**
     * Evaluates layer-major: the windows are cut into groups of about {@code groupTokens} positions; a group's
     * batches are embedded, then each decoder layer runs on all of them (a streamed model reads each layer once per
     * group, not once per batch), then each batch's logits are scored {@code logitChunkRows} positions at a time
     * ({@link LlamaModel#logits(float[], int, int, LlamaModel.LogitRows)}) and only the NLL sum is kept. Memory is the
     * model (or one layer of it), one group's residual streams, one batch's temporaries and one chunk of logits,
     * whatever the number of windows. Each batch gets the same arithmetic as in a batch-by-batch pass and the NLL is
     * summed in position order, so the result depends neither on {@code groupTokens} nor on {@code logitChunkRows}.
     */
    public PerplexityResult evaluate(int[] tokens, int ctx, long maxTokens, int batch, int logitChunkRows, long groupTokens,
            ProgressListener progress) {
        if (ctx < 2) {
            throw new IllegalArgumentException("ctx must be at least 2 tokens, got " + ctx);
        }
        if (ctx > model.config().maxPositionEmbeddings()) {
            throw new IllegalArgumentException("ctx " + ctx + " exceeds the model's max_position_embeddings "
                    + model.config().maxPositionEmbeddings());
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        if (logitChunkRows < 1) {
            throw new IllegalArgumentException("logitChunkRows must be at least 1, got " + logitChunkRows);
        }
        if (groupTokens < 1) {
            throw new IllegalArgumentException("groupTokens must be at least 1, got " + groupTokens);
        }
        long usable = maxTokens > 0 ? Math.min(maxTokens, tokens.length) : tokens.length;
        int windows = (int) (usable / ctx);
        if (windows == 0) {
            throw new IllegalArgumentException("the text gives " + usable + " tokens, fewer than one window of " + ctx);
        }
        int layers = model.config().numLayers();
        int batchesPerGroup = (int) Math.max(1, Math.min(Integer.MAX_VALUE, groupTokens / ((long) batch * ctx)));
        int batches = (windows + batch - 1) / batch;
        progress.begin(PHASE, (long) batches * (layers + 1));
        long start = System.nanoTime();
        NllSum sum = new NllSum();
        long done = 0;
        for (int firstBatch = 0; firstBatch < batches; firstBatch += batchesPerGroup) {
            int groupBatches = Math.min(batchesPerGroup, batches - firstBatch);
            List<int[][]> group = new ArrayList<>(groupBatches);
            List<float[]> hidden = new ArrayList<>(groupBatches);
            int[] sizes = new int[groupBatches];
            for (int b = 0; b < groupBatches; b++) {
                progress.throwIfCancelled();
                int first = (firstBatch + b) * batch;
                int count = Math.min(batch, windows - first);
                int[][] sequences = new int[count][];
                for (int s = 0; s < count; s++) {
                    sequences[s] = java.util.Arrays.copyOfRange(tokens, (first + s) * ctx, (first + s + 1) * ctx);
                }
                group.add(sequences);
                sizes[b] = count;
                hidden.add(model.embed(sequences));
            }
            try {
                for (int layer = 0; layer < layers; layer++) {
                    model.runLayer(layer, hidden, sizes, ctx, ProjectionInputListener.NONE, progress, done);
                    done += groupBatches;
                }
            } finally {
                model.freeReusableWeights(); // a stopped pass leaves the weights of its last layer for the next
            }
            for (int b = 0; b < groupBatches; b++) {
                progress.throwIfCancelled();
                score(group.get(b), hidden.get(b), ctx, logitChunkRows, sum);
                hidden.set(b, null); // scored: its residual stream is no longer needed
                progress.advanceTo(++done);
            }
        }
        double nllSum = sum.total;
        long nonFinite = sum.nonFinite;
        progress.end();
        long predicted = (long) windows * (ctx - 1);
        double meanNll = nllSum / predicted;
        return new PerplexityResult(Math.exp(meanNll), meanNll, predicted, windows, ctx, tokens.length,
                (long) windows * ctx, nonFinite, (System.nanoTime() - start) / 1e9);
    }

    /** Adds the NLL of every position of a batch that predicts a token inside its window, in position order. */
    private void score(int[][] sequences, float[] hidden, int ctx, int logitChunkRows, NllSum sum) {
        int vocab = model.config().vocabSize();
        model.logits(hidden, sequences.length * ctx, logitChunkRows, (logits, firstRow, rows) -> {
            for (int r = 0; r < rows; r++) {
                int row = firstRow + r;
                int s = row / ctx;
                int t = row % ctx;
                if (t == ctx - 1) {
                    continue; // the window's last position predicts nothing inside the window
                }
                double nll = TokenLogProbabilities.logSumExp(logits, r * vocab, vocab)
                        - logits[r * vocab + sequences[s][t + 1]];
                sum.add(nll);
            }
        });
    }

    /** The running NLL sum, added to in position order. */
    private static final class NllSum {
        private double total;
        private long nonFinite;

        void add(double nll) {
            if (!Double.isFinite(nll)) {
                nonFinite++;
            }
            total += nll;
        }
    }
}
