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
        spec.commandLine().getOut().println("wrote " + out);
        return 0;
    }
}
