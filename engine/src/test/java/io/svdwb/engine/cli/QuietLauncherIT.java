package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The generated launcher target/svdwb (from scripts/launcher.sh.in, written by `mvn package`) runs the CLI with no
 * JVM warnings and no log lines on stderr: an evaluation of the embedded demo model prints only its progress bar
 * there. Run by failsafe in `mvn verify`, after the package phase.
 */
class QuietLauncherIT {

    private static final Path LAUNCHER = Path.of("target", "svdwb").toAbsolutePath();
    /** A short evaluation: the demo model, 2 windows of 32 tokens (about a second once the JVM is up). */
    private static final List<String> SHORT_EVAL = List.of("eval", "--max-tokens", "64", "--ctx", "32");

    @Test
    void anEvaluationPrintsNothingOnStderrButItsProgressBar() throws Exception {
        Run run = launch(Map.of(), SHORT_EVAL);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).startsWith("perplexity");
        List<String> notProgress = Arrays.stream(run.stderr().split("[\r\n]+"))
                .filter(segment -> !segment.isBlank() && !segment.matches("perplexity +\\d+% .*"))
                .toList();
        assertThat(notProgress).as("stderr apart from the progress bar").isEmpty();
        assertThat(run.stderr()).contains("perplexity 100%").doesNotContain("WARNING").doesNotContain("INFO");
    }

    /** The other side: the same check sees log lines and the JVM's Unsafe warning when they are let through. */
    @Test
    void verboseLogsAtInfoAndTheUnsafeWarningWouldBeSeen() throws Exception {
        // SVDWB_JAVA_OPTS comes after the launcher's flags, so "warn" overrides its "allow"
        Run run = launch(Map.of("SVDWB_JAVA_OPTS", Runtime.version().feature() >= 23 ? "--sun-misc-unsafe-memory-access=warn" : ""),
                List.of("--verbose", "eval", "--max-tokens", "64", "--ctx", "32", "--no-progress"));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).contains("INFO  i.s.e.m.TokenizerDefinitionFix - tokenizer.json: normalizer regex");
        if (Runtime.version().feature() >= 24) {
            assertThat(run.stderr()).contains("WARNING: sun.misc.Unsafe::");
        }
    }

    private static Run launch(Map<String, String> environment, List<String> args) throws IOException, InterruptedException {
        assertThat(LAUNCHER).as("built by mvn package").isExecutable();
        List<String> command = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        // the JDK that runs the build, so that the launcher's version check meets the JDK under test
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("SVDWB_JAVA_OPTS");
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        String stderr = read(process.getErrorStream());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("finished within 2 minutes").isTrue();
        return new Run(process.exitValue(), stdout.join(), stderr);
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private record Run(int exitCode, String stdout, String stderr) {
    }
}
