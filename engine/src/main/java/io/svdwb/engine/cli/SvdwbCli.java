package io.svdwb.engine.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code svdwb}: the engine's command line. Results go to stdout, progress and logs to stderr. */
@Command(name = "svdwb", mixinStandardHelpOptions = true, versionProvider = SvdwbCli.Version.class,
        description = "SVD Workbench engine: inspect, evaluate, compress, sweep and benchmark LLaMA-family checkpoints.",
        subcommands = {InspectCommand.class, EvalCommand.class, CompressCommand.class, SweepCommand.class, BenchCommand.class, TokenizeCommand.class})
public final class SvdwbCli {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Log what the engine does (INFO: files read, caches used, approximations) and print the stack "
                    + "trace of an error, not just its message.")
    boolean verbose;

    public static void main(String[] args) {
        JavacppLimits.applyDefaults();
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns its exit code (0 success, 1 error, 2 usage error, 3 non-finite, 4 out of memory). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new SvdwbCli());
        // the last of a repeated option wins, as in most tools: a script's defaults can be followed by the user's own
        cli.setOverwrittenOptionsAllowed(true);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionStrategy(parseResult -> {
            if (verbose(parseResult)) {
                LogLevel.verbose();
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (verbose(parseResult)) {
                ex.printStackTrace(err);
            }
            err.println("error: " + CliErrors.describe(ex));
            err.flush();
            return CliErrors.exitCode(ex);
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError oom) {
            // picocli hands only Exceptions to the handler above; an Error would end in a raw stack trace
            err.println("error: " + CliErrors.describe(oom));
            err.flush();
            return CliErrors.OUT_OF_MEMORY;
        }
    }

    /** --verbose is inherited: it may follow the command or any subcommand. */
    private static boolean verbose(CommandLine.ParseResult parseResult) {
        return parseResult.matchedOptionValue("--verbose", false)
                || parseResult.subcommands().stream().anyMatch(p -> verbose(p));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {io.svdwb.engine.ToolVersion.current()};
        }
    }
}
