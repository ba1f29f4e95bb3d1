package io.svdwb.engine.cli;

import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks, reported as ratios against a baseline measured in the same run.",
        subcommands = {BenchForwardCommand.class, BenchLayerCommand.class, BenchSynthCommand.class, BenchSvdCommand.class,
                BenchSocoCommand.class, BenchPipelineCommand.class})
final class BenchCommand {
}
