package io.svdwb.engine.cli;

import io.svdwb.engine.bench.SyntheticCheckpoint;
import io.svdwb.engine.safetensors.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Write a synthetic checkpoint with LLaMA-7B shapes and random weights (sharded, about 13.5 GB in fp16",
                "for 32 layers), for benchmarks of models larger than memory. Not a trained model."})
final class BenchSynthCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to create (must not exist or be empty).")
    Path out;

    @Option(names = "--layers", defaultValue = "32", paramLabel = "N", description = "Decoder layers. Default: ${DEFAULT-VALUE}.")
    int layers;

    @Option(names = "--dtype", defaultValue = "F16", paramLabel = "F16|BF16|F32", description = "Stored type. Default: ${DEFAULT-VALUE}.")
    DType dtype;

    @Option(names = "--layers-per-shard", defaultValue = "8", paramLabel = "N",
            description = "Decoder layers per shard file (8 gives shards over 2 GiB). Default: ${DEFAULT-VALUE}.")
    int layersPerShard;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Spec
    CommandSpec spec;

    /**
     * The demo model's tokenizer, whose 512 ids all lie inside LLaMA's 32,000, so {@code eval}, calibration and
     * {@code bench pipeline} run on real text; the perplexity of random weights means nothing, the cost is real.
     */
    private void copyDemoTokenizer() throws java.io.IOException {
        java.nio.file.Path demo = io.svdwb.engine.EmbeddedResources.demoModel();
        for (String name : java.util.List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")) {
            if (Files.isRegularFile(demo.resolve(name))) {
                Files.copy(demo.resolve(name), out.resolve(name));
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        if (layers < 1 || layersPerShard < 1) {
            throw new IllegalArgumentException("--layers and --layers-per-shard must be at least 1");
        }
        io.svdwb.engine.files.OutputLocations.checkFolder(out, "--out");
        if (Files.exists(out)) {
            try (var entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException(out + ": exists and is not empty");
                }
            }
        }
        SyntheticCheckpoint.write(SyntheticCheckpoint.llama7b(layers), out, dtype, layersPerShard, seed, new ConsoleProgress(true));
        copyDemoTokenizer();
        spec.commandLine().getOut().println("wrote " + out);
        return 0;
    }
}
