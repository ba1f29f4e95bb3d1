package io.svdwb.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the CLI in a new JVM with this test run's classpath: nothing it computes can leak in from the test's memory. */
public final class FreshJvm {

    public record Result(int exitCode, String out, String err) {
    }

    private FreshJvm() {
    }

    public static ProcessBuilder cli(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.svdwb.engine.cli.SvdwbCli"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    public static Result run(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("svdwb-out", ".txt");
        Path err = Files.createTempFile("svdwb-err", ".txt");
        try {
            Process p = cli(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("svdwb " + String.join(" ", args) + " did not finish in 10 minutes");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
