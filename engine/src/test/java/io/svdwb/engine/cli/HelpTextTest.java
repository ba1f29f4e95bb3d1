package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every command's help renders: picocli treats descriptions as format strings, and a bare '%' made it warn on stderr. */
class HelpTextTest {

    @Test
    void everyCommandsHelpRendersWithoutWarnings() {
        String[][] commands = {{"eval"}, {"compress"}, {"sweep"}, {"inspect"}, {"bench", "pipeline"}, {"bench", "synth"},
                {"bench", "forward"}, {"bench", "layer"}, {"bench", "svd"}, {"bench", "soco"}};
        for (String[] command : commands) {
            String[] args = java.util.Arrays.copyOf(command, command.length + 1);
            args[command.length] = "--help";
            // picocli's own warnings go to System.err, not to the command's writer
            java.io.ByteArrayOutputStream systemErr = new java.io.ByteArrayOutputStream();
            java.io.PrintStream previous = System.err;
            CliRunner r;
            System.setErr(new java.io.PrintStream(systemErr, true, java.nio.charset.StandardCharsets.UTF_8));
            try {
                r = CliRunner.run(args);
            } finally {
                System.setErr(previous);
            }
            assertThat(r.exitCode()).as(String.join(" ", command)).isZero();
            assertThat(r.err() + systemErr.toString(java.nio.charset.StandardCharsets.UTF_8)).as(String.join(" ", command))
                    .doesNotContain("WARN");
            assertThat(r.out()).as(String.join(" ", command)).contains("Usage:");
        }
    }
}
