package io.svdwb.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.bench.SocoStepBenchmark;
import io.svdwb.engine.bench.SyntheticCheckpoint;
import io.svdwb.engine.export.FactoredCheckpoint;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.safetensors.DType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "soco", mixinStandardHelpOptions = true,
        description = {"Seconds per SoCo training step (teacher forward, student forward and backward in double, budget and",
                "sparsity terms, AdamW) on plain-SVD factors at the break-even rank, and the ratio to the engine's float",
                "forward pass on the same batch, measured in the same run (each timed step right after a timed forward).",
                "Either on a model folder (factors: plain SVD of its weights) or on synthetic LLaMA-shaped layers of the",
                "given hidden sizes (factors: random, of the same shapes, since a 4096-wide SVD takes minutes)."})
final class BenchSocoCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--synthetic-hidden", split = ",", paramLabel = "H",
            description = {"Instead of a model: random LLaMA-shaped checkpoints of these hidden sizes (multiples of 64),",
                    "written in F32 to a temporary folder and deleted after. intermediate = H x 11008/4096 rounded to a",
                    "multiple of 64, head_dim 128 from H = 2048 on and 64 below, no grouped-query attention, untied lm_head."})
    List<Integer> syntheticHidden;

    @Option(names = "--synthetic-layers", paramLabel = "N", defaultValue = "1", description = "Decoder layers of the synthetic models. Default: ${DEFAULT-VALUE}.")
    int syntheticLayers;

    @Option(names = "--synthetic-vocab", paramLabel = "N", defaultValue = "32000",
            description = "Vocabulary of the synthetic models (LLaMA's). Default: ${DEFAULT-VALUE}.")
    int syntheticVocab;

    @Option(names = "--batch", paramLabel = "N",
            description = {"Windows per step. Default: 4 (SoCo's), but 1 for synthetic hidden sizes of 4096 and more, whose",
                    "step at 4 x 512 tokens would take minutes and several GB of double activations."})
    Integer batch;

    @Option(names = "--length", paramLabel = "L", description = "Tokens per window. Default: min(512, the model's context).")
    Integer length;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "3", description = "Timed steps after one warm-up step. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random tokens and weights. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @Option(names = "--no-progress", description = "Do not draw a progress bar on stderr.")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ProgressListener progress = new ConsoleProgress(!noProgress && !json);
        List<SocoStepBenchmark.Result> results = new ArrayList<>();
        if (syntheticHidden == null || syntheticHidden.isEmpty()) {
            try (Checkpoint checkpoint = FactoredCheckpoint.open(modelOptions.modelDir())) {
                results.add(run(checkpoint, checkpoint.dir().getFileName().toString(), SocoStepBenchmark.Factors.SVD, 4, progress));
            }
        } else {
            if (modelOptions.model != null) {
                throw new IllegalArgumentException("--model and --synthetic-hidden exclude each other");
            }
            for (int hidden : syntheticHidden) {
                ModelConfig config = SocoStepBenchmark.syntheticConfig(hidden, syntheticLayers, syntheticVocab);
                Path dir = Files.createTempDirectory("svdwb-bench-soco-");
                try {
                    SyntheticCheckpoint.write(config, dir, DType.F32, syntheticLayers, seed, ProgressListener.NONE);
                    try (Checkpoint checkpoint = Checkpoint.open(dir)) {
                        results.add(run(checkpoint, "synthetic-h" + hidden, SocoStepBenchmark.Factors.RANDOM,
                                hidden >= 4096 ? 1 : 4, progress));
                    }
                } finally {
                    deleteRecursively(dir);
                }
            }
        }
        print(results);
        return 0;
    }

    private SocoStepBenchmark.Result run(Checkpoint checkpoint, String label, SocoStepBenchmark.Factors factors, int defaultBatch,
                                         ProgressListener progress) throws IOException {
        int windows = batch != null ? batch : defaultBatch;
        int tokens = length != null ? length : Math.min(512, checkpoint.config().maxPositionEmbeddings());
        return SocoStepBenchmark.run(checkpoint, label, factors, windows, tokens, steps, seed, progress);
    }

    private void print(List<SocoStepBenchmark.Result> results) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(results));
            return;
        }
        out.printf("%-16s %6s %6s %6s %6s %9s %8s %10s %10s %10s %10s %8s %7s %5s%n", "model", "hidden", "inter", "layers", "vocab",
                "batch", "scores", "step med", "step min", "fwd med", "fwd min", "step/fwd", "peak GB", "load");
        for (SocoStepBenchmark.Result r : results) {
            out.printf("%-16s %6d %6d %6d %6d %9s %8d %10.3f %10.3f %10.4f %10.4f %8.1f %7.2f %5.1f%n", r.model(), r.hiddenSize(),
                    r.intermediateSize(), r.layers(), r.vocabSize(), r.windows() + "x" + r.length(), r.trainableScores(),
                    r.stepMedianSeconds(), r.stepMinSeconds(), r.forwardMedianSeconds(), r.forwardMinSeconds(),
                    r.stepOverForward(), r.peakResidentBytes() / 1e9, r.loadAverage());
        }
        out.printf("seconds are per step / per forward pass over %d timed steps; peak GB is the process's so far%n",
                results.get(0).steps());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
