package io.svdwb.engine.cli;

import io.svdwb.engine.memory.MemoryBudget;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.pipeline.MemoryPolicy;
import picocli.CommandLine.Option;

/** The {@code --memory-budget} option of the commands that run the model. */
final class MemoryOptions {

    @Option(names = "--memory-budget", paramLabel = "SIZE",
            description = "Resident memory the run may use, e.g. 8g, 512m or 50%% of physical memory; a run that cannot fit "
                    + "says so before it starts, and a model whose float32 weights take more than half of it is streamed one "
                    + "decoder layer at a time. Default: 60%% of physical memory.")
    String memoryBudget;

    @Option(names = "--residency", paramLabel = "auto|keep|stream",
            description = "keep: hold the whole model in memory; stream: read one decoder layer at a time for every pass (and "
                    + "spill compressed factors to disk); auto: stream when the float32 weights take more than half the budget. "
                    + "Results are the same either way. Default: auto.")
    String residency = "auto";

    MemoryPolicy policy() {
        MemoryBudget budget = memoryBudget != null ? MemoryBudget.parse(memoryBudget) : MemoryBudget.defaultBudget();
        return new MemoryPolicy(budget, switch (residency.toLowerCase(java.util.Locale.ROOT)) {
            case "auto" -> null;
            case "keep" -> LlamaModel.Residency.KEEP;
            case "stream" -> LlamaModel.Residency.STREAM;
            default -> throw new IllegalArgumentException("--residency must be auto, keep or stream, got '" + residency + "'");
        });
    }
}
