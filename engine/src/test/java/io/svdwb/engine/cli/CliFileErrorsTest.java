package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file the CLI reads ends a bad run with one line that names the file and the problem: a binary text file,
 * a folder where a file belongs, malformed JSON in a model folder. (Unreadable files are not tested: the tests run
 * as root, which reads everything.)
 */
class CliFileErrorsTest {

    private static final byte[] BINARY = {'O', 'n', 'c', 'e', ' ', (byte) 0xFF, (byte) 0xFE, 0};

    @TempDir
    Path tmp;

    private static void assertOneLineError(CliRunner r, String expected) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("error: " + expected);
    }

    private static CliRunner eval(Path model, Path text) {
        return CliRunner.run("eval", "--model", model.toString(), "--text", text.toString(), "--ctx", "32", "--max-tokens", "64");
    }

    @Test
    void aBinaryEvaluationTextNamesTheFileAndTheByte() throws Exception {
        Path text = Files.write(tmp.resolve("weights.bin"), BINARY);
        assertOneLineError(eval(TestData.demoModel(), text), text + ": not UTF-8 text (invalid byte 0xFF at offset 5)");
    }

    @Test
    void aFolderAsEvaluationText() {
        assertOneLineError(eval(TestData.demoModel(), tmp), tmp + ": is a folder, not a text file");
    }

    @Test
    void aBinaryCalibrationTextNamesTheFileAndTheByte() throws Exception {
        Path text = Files.write(tmp.resolve("calib.bin"), BINARY);
        CliRunner r = CliRunner.run("compress", "--model", TestData.demoModel().toString(), "--method", "svd-llm", "--ratio", "0.4",
                "--calib", text.toString(), "--calib-cache", tmp.resolve("cache").toString(), "--no-progress");
        assertOneLineError(r, text + ": not UTF-8 text (invalid byte 0xFF at offset 5)");
    }

    @Test
    void aFolderAsCalibrationText() {
        CliRunner r = CliRunner.run("compress", "--model", TestData.demoModel().toString(), "--method", "svd-llm", "--ratio", "0.4",
                "--calib", tmp.toString(), "--no-progress");
        assertOneLineError(r, tmp + ": is a folder, not a calibration text file");
    }

    @Test
    void malformedConfigJsonNamesLineAndColumn() throws Exception {
        Path model = copyOfDemoModel();
        Files.writeString(model.resolve("config.json"), "{\n  \"model_type\": \"llama\",\n  \"hidden_size\": 64,,\n}\n");
        CliRunner r = CliRunner.run("inspect", "--model", model.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip().lines().toList()).hasSize(1);
        assertThat(r.err().strip()).startsWith("error: " + model.resolve("config.json") + ": not valid JSON at line 3, column 21: ");
    }

    @Test
    void aFolderAsConfigJson() throws Exception {
        Path model = tmp.resolve("model");
        Files.createDirectories(model.resolve("config.json"));
        assertOneLineError(CliRunner.run("inspect", "--model", model.toString()), model.resolve("config.json") + ": is a folder, not a JSON file");
    }

    @Test
    void malformedTokenizerConfigNamesLineAndColumn() throws Exception {
        Path model = copyOfDemoModel();
        Files.writeString(model.resolve("tokenizer_config.json"), "{\"add_bos_token\": tru}");
        CliRunner r = eval(model, TestData.tinyStories());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip().lines().toList()).hasSize(1);
        assertThat(r.err().strip()).startsWith("error: " + model.resolve("tokenizer_config.json") + ": not valid JSON at line 1, column ");
    }

    @Test
    void aBinaryTokenizerJsonIsNamedAsNotJson() throws Exception {
        Path model = copyOfDemoModel();
        Files.write(model.resolve("tokenizer.json"), BINARY);
        CliRunner r = eval(model, TestData.tinyStories());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip().lines().toList()).hasSize(1);
        assertThat(r.err().strip()).startsWith("error: " + model.resolve("tokenizer.json") + ": not valid JSON at line 1, column 6: Unrecognized token 'Once'");
    }

    private Path copyOfDemoModel() throws Exception {
        Path copy = tmp.resolve("model");
        Files.createDirectories(copy);
        try (var files = Files.list(TestData.demoModel())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        return copy;
    }
}
