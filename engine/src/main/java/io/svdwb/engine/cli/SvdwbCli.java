package io.svdwb.engine.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code svdwb}: the engine's command line. Results go to stdout, progress and logs to stderr. */
@Command(name = "svdwb", mixinStandardHelpOptions = true, versionProvider = SvdwbCli.Version.class,
        description = "SVD Workbench engine: inspect, evaluate, compress, sweep and benchmark LLaMA-family checkpoints.",
        subcommands = {InspectCommand.class, EvalCommand.class, CompressCommand.class, SweepCommand.class, BenchCommand.class})
public final class SvdwbCli {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Log what the engine does (INFO: files read, caches used, approximations) and print the stack "
                    + "trace of an error, not just its message.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns its exit code (0 success, 1 error, 2 usage error). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new SvdwbCli());
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
            err.println("error: " + describe(ex));
            err.flush();
            return 1;
        });
        return cli.execute(args);
    }

    /** --verbose is inherited: it may follow the command or any subcommand. */
    private static boolean verbose(CommandLine.ParseResult parseResult) {
        return parseResult.matchedOptionValue("--verbose", false)
                || parseResult.subcommands().stream().anyMatch(p -> verbose(p));
    }

    private static String describe(Throwable ex) {
        Throwable t = ex;
        while ((t.getMessage() == null || t instanceof java.io.UncheckedIOException) && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        if (t instanceof java.nio.file.NoSuchFileException) {
            return message + ": no such file";
        }
        return message != null ? message : t.getClass().getSimpleName();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SvdwbCli.class.getPackage().getImplementationVersion();
            return new String[] {"svdwb " + (v != null ? v : "development build")};
        }
    }
}
