package io.svdwb.engine.bench;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.model.ProjectionKind;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times the model's forward pass and, in the same run and on the same {@link LinearAlgebra}, a square
 * sgemm, so the forward pass's achieved GFLOP/s is reported as a fraction of what the backend's best
 * kernel reaches on this machine now (absolute timings on a shared 2-core VM vary by 2x or more).
 */
public final class ForwardBenchmark {

    public record Result(String backend, int seqLen, int sequences, int repeats, double medianSeconds, double minSeconds,
                         double tokensPerSecond, double flopsPerPass, double forwardGflops, int gemmSize,
                         double gemmGflops, double fractionOfGemm) {
    }

    private final LlamaModel model;

    public ForwardBenchmark(LlamaModel model) {
        this.model = model;
    }

    public Result run(int seqLen, int sequences, int repeats, int gemmSize) {
        if (repeats < 1 || seqLen < 1 || sequences < 1 || gemmSize < 1) {
            throw new IllegalArgumentException("repeats, ctx, batch and gemm size must be positive");
        }
        ModelConfig c = model.config();
        SplittableRandom random = new SplittableRandom(42);
        int[][] tokens = new int[sequences][seqLen];
        for (int[] row : tokens) {
            for (int t = 0; t < seqLen; t++) {
                row[t] = random.nextInt(c.vocabSize());
            }
        }
        model.forward(tokens);
        double[] seconds = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            model.forward(tokens);
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        double median = seconds[repeats / 2];
        double flops = forwardFlops(c, seqLen, sequences);
        double gemmGflops = gemmGflops(model.linearAlgebra(), gemmSize, repeats);
        double forwardGflops = flops / median / 1e9;
        return new Result(model.linearAlgebra().name(), seqLen, sequences, repeats, median, seconds[0],
                (double) seqLen * sequences / median, flops, forwardGflops, gemmSize, gemmGflops, forwardGflops / gemmGflops);
    }

    /**
     * Multiply-adds counted twice: every projection, the full seqLen x seqLen score and context
     * products our attention computes (the masked half included), and the output projection.
     */
    public static double forwardFlops(ModelConfig c, int seqLen, int sequences) {
        double tokens = (double) seqLen * sequences;
        double projectionParameters = 0;
        for (ProjectionKind kind : ProjectionKind.values()) {
            projectionParameters += (double) kind.inFeatures(c) * kind.outFeatures(c);
        }
        double perLayer = 2 * tokens * projectionParameters
                + 2.0 * 2 * sequences * c.numHeads() * (double) seqLen * seqLen * c.headDim();
        return c.numLayers() * perLayer + 2 * tokens * c.hiddenSize() * c.vocabSize();
    }

    public static double gemmGflops(LinearAlgebra linalg, int n, int repeats) {
        INDArray a = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, n);
        linalg.matmul(a, false, b, false);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            linalg.matmul(a, false, b, false);
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return 2.0 * n * n * n / best / 1e9;
    }
}
