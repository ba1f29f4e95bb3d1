package io.svdwb.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.bench.LayerBenchmark;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.LlamaModel;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "layer", mixinStandardHelpOptions = true,
        description = {"Run one decoder layer on random hidden states, loading only that layer from the memory-mapped",
                "checkpoint, and report the time and the peak resident memory of this process."})
final class BenchLayerCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--layer", defaultValue = "0", description = "Decoder layer index. Default: ${DEFAULT-VALUE}.")
    int layer;

    @Option(names = "--tokens", defaultValue = "512", description = "Sequence length. Default: ${DEFAULT-VALUE}.")
    int tokens;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (Checkpoint checkpoint = Checkpoint.open(modelOptions.modelDir())) {
            long bytes;
            try (Stream<java.nio.file.Path> files = Files.list(checkpoint.dir())) {
                bytes = files.filter(p -> p.toString().endsWith(".safetensors")).mapToLong(p -> p.toFile().length()).sum();
            }
            LlamaModel model = new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.STREAM);
            LayerBenchmark.Result r = new LayerBenchmark(model).run(layer, tokens, bytes);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(new ObjectMapper().writeValueAsString(r));
            } else {
                out.printf("layer %d of %s, %d tokens%n", r.layer(), checkpoint.dir(), r.tokens());
                out.printf("cold (load + run)     %.2f s%n", r.coldSeconds());
                out.printf("warm (load + run)     %.2f s%n", r.warmSeconds());
                out.printf("peak resident memory  %.2f GB (checkpoint on disk %.2f GB)%n", r.peakResidentBytes() / 1e9, r.checkpointBytes() / 1e9);
                out.printf("output finite         %s%n", r.outputFinite());
            }
            return r.outputFinite() ? 0 : 3;
        }
    }
}
