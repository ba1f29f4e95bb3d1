package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hidden diagnostic {@code svdwb tokenize} (used by scripts/interop.sh against the tokenizers library).
 * Expected ids: the demo tokenizer.json's added tokens {@code <unk>}=0, {@code <s>}=1, {@code </s>}=2, and the
 * ids the Hugging Face tokenizers library 0.23.2 gives this text on that file with the engine's documented
 * whole-text-anchor rewrite (the same run scripts/interop.py makes).
 */
class TokenizeCommandTest {

    private static final String TEXT = "Hello <unk> world </s> the\n";
    private static final List<Integer> IDS = List.of(346, 306, 414, 0, 263, 304, 341, 2, 265, 13);

    @Test
    void jsonGivesTheIdsWithLiteralSpecialTokensAsTheirIds(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("t.txt"), TEXT, StandardCharsets.UTF_8);
        CliRunner r = CliRunner.run("tokenize", "--model", TestData.demoModel().toString(), "--text", text.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(ids(root)).isEqualTo(IDS);
        assertThat(root.get("count").asInt()).isEqualTo(IDS.size());
        assertThat(root.get("adds_bos").asBoolean()).isTrue();
    }

    @Test
    void evalProtocolPutsOneBosInFront(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("t.txt"), TEXT, StandardCharsets.UTF_8);
        CliRunner r = CliRunner.run("tokenize", "--model", TestData.demoModel().toString(), "--text", text.toString(),
                "--eval-protocol", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<Integer> expected = new ArrayList<>(List.of(1));
        expected.addAll(IDS);
        assertThat(ids(new ObjectMapper().readTree(r.out()))).isEqualTo(expected);
    }

    @Test
    void plainOutputIsOneIdPerLineAndTheCommandIsHiddenFromHelp(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("t.txt"), TEXT, StandardCharsets.UTF_8);
        CliRunner r = CliRunner.run("tokenize", "--model", TestData.demoModel().toString(), "--text", text.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines().map(Integer::parseInt).toList()).isEqualTo(IDS);
        assertThat(CliRunner.run("--help").out()).doesNotContain("tokenize");
    }

    @Test
    void missingTextFileIsAnError(@TempDir Path dir) {
        CliRunner r = CliRunner.run("tokenize", "--model", TestData.demoModel().toString(), "--text", dir.resolve("nope.txt").toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("nope.txt");
    }

    private static List<Integer> ids(JsonNode root) {
        List<Integer> out = new ArrayList<>();
        root.get("ids").forEach(n -> out.add(n.asInt()));
        return out;
    }
}
