package io.svdwb.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svdwb.engine.export.FactoredCheckpoint;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ModelConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a checkpoint's architecture and every compressible weight matrix with its shape and parameter count.")
final class InspectCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Checkpoint checkpoint = FactoredCheckpoint.open(modelOptions.modelDir())) {
            ModelConfig c = checkpoint.config();
            long compressible = checkpoint.matrices().stream().mapToLong(MatrixSpec::parameters).sum();
            long total = checkpoint.totalParameters();
            if (json) {
                out.println(toJson(checkpoint, compressible, total));
                return 0;
            }
            out.printf("model        %s%n", checkpoint.dir());
            out.printf("type         %s%n", c.modelType());
            out.printf("layers       %d%n", c.numLayers());
            out.printf("hidden       %d   intermediate %d%n", c.hiddenSize(), c.intermediateSize());
            out.printf("heads        %d query, %d key/value (head_dim %d)%n", c.numHeads(), c.numKvHeads(), c.headDim());
            out.printf("vocab        %d   max positions %d   tied embeddings %s%n", c.vocabSize(), c.maxPositionEmbeddings(), c.tieWordEmbeddings());
            out.printf("rope         theta %s, scaling %s%n", c.ropeTheta(), c.ropeScaling().type().name().toLowerCase(java.util.Locale.ROOT));
            out.println();
            out.printf("%-6s %-6s %-45s %15s %14s%n", "layer", "module", "tensor", "shape", "parameters");
            for (MatrixSpec m : checkpoint.matrices()) {
                out.printf("%-6d %-6s %-45s %15s %,14d%n", m.layer(), m.kind().shortName(), m.tensorName(),
                        m.rows() + " x " + m.cols(), m.parameters());
            }
            out.println();
            out.printf("compressible parameters (decoder projections) %,d%n", compressible);
            out.printf("all parameters (tied embeddings once)         %,d%n", total);
            out.printf("compressible share                            %.2f %%%n", 100.0 * compressible / total);
        }
        return 0;
    }

    private static String toJson(Checkpoint checkpoint, long compressible, long total) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("model", checkpoint.dir().toString());
        root.set("config", mapper.valueToTree(checkpoint.config()));
        ArrayNode matrices = root.putArray("matrices");
        for (MatrixSpec m : checkpoint.matrices()) {
            matrices.addObject().put("layer", m.layer()).put("module", m.kind().shortName()).put("tensor", m.tensorName())
                    .put("rows", m.rows()).put("cols", m.cols()).put("parameters", m.parameters());
        }
        root.put("compressible_parameters", compressible);
        root.put("total_parameters", total);
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }
}
