package io.svdwb.engine.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svdwb.engine.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokenizer definitions that make the native tokenizers library panic, which aborts the JVM (exit 134;
 * the first case was reproduced with DJL tokenizers 0.33.0 on the demo tokenizer with prefix "##"), are
 * refused with a message naming the file and the problem. Were the check gone, this test JVM would abort.
 */
class TokenizerDefinitionCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private Path modelWith(String tokenizerJson) throws Exception {
        Path dir = temp.resolve("model");
        Files.createDirectories(dir);
        for (String file : new String[] {"config.json", "tokenizer_config.json", "special_tokens_map.json"}) {
            Files.copy(TestData.demoModel().resolve(file), dir.resolve(file));
        }
        Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson);
        return dir;
    }

    private static ObjectNode demoTokenizer() throws Exception {
        return (ObjectNode) JSON.readTree(TestData.demoModel().resolve("tokenizer.json").toFile());
    }

    @Test
    void aContinuingSubwordPrefixTheMergesDoNotCarryIsRefused() throws Exception {
        ObjectNode tokenizer = demoTokenizer();
        ((ObjectNode) tokenizer.get("model")).put("continuing_subword_prefix", "##");
        Path dir = modelWith(JSON.writeValueAsString(tokenizer));
        assertThatThrownBy(() -> TextTokenizer.open(dir))
                .isInstanceOf(ModelConfigException.class)
                .hasMessageStartingWith(dir.resolve("tokenizer.json") + ": model.continuing_subword_prefix '##' does not begin the second part")
                .hasMessageContaining("of merge 0");
    }

    @Test
    void aLoneSurrogateInAVocabularyKeyIsRefused() throws Exception {
        String text = JSON.writeValueAsString(demoTokenizer()).replace("\"<unk>\":0", "\"\\ud800\":0");
        Path dir = modelWith(text);
        assertThatThrownBy(() -> TextTokenizer.open(dir))
                .isInstanceOf(ModelConfigException.class)
                .hasMessage(dir.resolve("tokenizer.json") + ": the key \\ud800 at model.vocab is a lone UTF-16 surrogate (not valid Unicode)");
    }
}
