package io.svdwb.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.TestData;
import io.svdwb.engine.eval.EvaluationText;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextTokenizerTest {

    @TempDir
    Path tmp;

    @Test
    void addBosTokenFalseIsHonoured() throws Exception {
        for (String f : new String[] {"config.json", "tokenizer.json"}) {
            Files.copy(TestData.demoModel().resolve(f), tmp.resolve(f));
        }
        Files.writeString(tmp.resolve("tokenizer_config.json"), "{\"add_bos_token\": false}");
        try (TextTokenizer withBos = TextTokenizer.open(TestData.demoModel());
             TextTokenizer withoutBos = TextTokenizer.open(tmp)) {
            assertThat(withBos.addsBos()).isTrue();
            assertThat(withoutBos.addsBos()).isFalse();
            int[] plain = withoutBos.encode("Once upon a time");
            assertThat(EvaluationText.tokenize("Once upon a time", withoutBos, null)).containsExactly(plain);
            assertThat(EvaluationText.tokenize("Once upon a time", withBos, null)).startsWith(1).hasSize(plain.length + 1);
        }
    }

    @Test
    void encodeAddsNoSpecialTokensItself() throws Exception {
        try (TextTokenizer tokenizer = TextTokenizer.open(TestData.demoModel())) {
            // tokenizer.json's post-processor would prepend <s>; the protocol decides where BOS goes
            assertThat(tokenizer.encode("Once")).doesNotContain(1);
            assertThat(tokenizer.decode(tokenizer.encode("Once upon a time"))).isEqualTo("Once upon a time");
        }
    }

    @Test
    void aBrokenTokenizerFileIsAClearError() throws Exception {
        Files.copy(TestData.demoModel().resolve("config.json"), tmp.resolve("config.json"));
        Files.writeString(tmp.resolve("tokenizer.json"), "{\"version\": \"1.0\", \"model\": 42");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TextTokenizer.open(tmp))
                .isInstanceOf(ModelConfigException.class)
                .hasMessageContaining("tokenizer.json");
    }
}
