package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input ends with a non-zero exit and one line that names the problem; a stack trace only with --verbose. */
class CliErrorsTest {

    @TempDir
    Path tmp;

    private static void assertOneLineError(CliRunner r, String... fragments) {
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip().lines().toList()).hasSize(1);
        assertThat(r.err()).startsWith("error: ").contains(fragments);
    }

    @Test
    void missingModelFolder() {
        Path missing = tmp.resolve("nope");
        assertOneLineError(CliRunner.run("inspect", "--model", missing.toString()), missing.toString(), "not a folder");
    }

    @Test
    void folderWithoutConfig() {
        assertOneLineError(CliRunner.run("inspect", "--model", tmp.toString()), "config.json", "not found");
    }

    @Test
    void unsupportedArchitectureListsTheSupportedOnes() throws Exception {
        Files.writeString(tmp.resolve("config.json"), "{\"model_type\":\"gpt2\",\"hidden_size\":8}");
        assertOneLineError(CliRunner.run("inspect", "--model", tmp.toString()), "gpt2", "llama, mistral, qwen2");
    }

    @Test
    void missingTokenizer() throws Exception {
        Path model = copyDemoModelWithout("tokenizer.json");
        assertOneLineError(CliRunner.run("eval", "--model", model.toString(), "--text", TestData.tinyStories().toString()),
                "tokenizer.json", "not found");
    }

    @Test
    void missingTextFile() {
        Path missing = tmp.resolve("missing.txt");
        assertOneLineError(CliRunner.run("eval", "--model", TestData.demoModel().toString(), "--text", missing.toString()),
                missing.toString(), "no such file");
    }

    @Test
    void contextLongerThanTheModelAllows() {
        assertOneLineError(CliRunner.run("eval", "--model", TestData.demoModel().toString(), "--text",
                TestData.tinyStories().toString(), "--ctx", "4096"), "4096", "max_position_embeddings 512");
    }

    @Test
    void verbosePrintsTheStackTrace() {
        CliRunner r = CliRunner.run("inspect", "--verbose", "--model", tmp.resolve("nope").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("\tat io.svdwb.engine").contains("error: ");
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRunner r = CliRunner.run("eval", "--no-such-option");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--no-such-option");
    }

    private Path copyDemoModelWithout(String omitted) throws Exception {
        Path copy = tmp.resolve("model");
        Files.createDirectories(copy);
        try (var files = Files.list(TestData.demoModel())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (!f.getFileName().toString().equals(omitted)) {
                    Files.copy(f, copy.resolve(f.getFileName()));
                }
            }
        }
        return copy;
    }
}
