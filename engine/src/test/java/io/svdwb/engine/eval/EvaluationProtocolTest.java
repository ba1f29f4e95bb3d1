package io.svdwb.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.TestData;
import io.svdwb.engine.model.ModelConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The one evaluation protocol: its defaults (the one batch rule), its checks, its one wording and its tokens. */
class EvaluationProtocolTest {

    private static final Path TEXT = TestData.wikiTestRaw();
    private static final EvaluationProtocol FIRST_4096 = EvaluationProtocol.of(TEXT, 256, 4096);

    @Test
    void theDefaultBatchIsAsManyWindowsAsFitIn2048Tokens() throws Exception {
        for (int ctx : new int[] {2, 64, 128, 256, 512, 1000, 2048}) {
            assertThat(EvaluationProtocol.defaultBatch(ctx)).as("ctx %d", ctx).isEqualTo(2048 / ctx);
            assertThat(EvaluationProtocol.of(TEXT, ctx, 0).batch()).as("ctx %d", ctx).isEqualTo(2048 / ctx);
        }
        assertThat(EvaluationProtocol.defaultBatch(4096)).isEqualTo(1);
        ModelConfig demo = ModelConfig.read(TestData.demoModel());
        // the command line's and the workbench's "automatic" window and batch resolve by the same rule
        EvaluationProtocol automatic = new EvaluationProtocol(TEXT, EvaluationProtocol.MODEL_DEFAULT, 0, EvaluationProtocol.MODEL_DEFAULT, null);
        assertThat(automatic.isResolved()).isFalse();
        assertThat(automatic.resolvedFor(demo)).isEqualTo(EvaluationProtocol.of(TEXT, 512, 0));
        assertThat(automatic.resolvedFor(demo).batch()).isEqualTo(2048 / 512);
        assertThat(new EvaluationProtocol(TEXT, 128, 0, EvaluationProtocol.MODEL_DEFAULT, null).resolvedFor(demo).batch()).isEqualTo(2048 / 128);
        assertThat(new EvaluationProtocol(TEXT, 128, 0, 3, null).resolvedFor(demo).batch()).isEqualTo(3);
    }

    @Test
    void theDefaultWindowIsTheModelsContextUpTo2048() throws Exception {
        assertThat(EvaluationProtocol.defaultContext(ModelConfig.read(TestData.demoModel()))).isEqualTo(512);
    }

    @Test
    void protocolsAreCheckedAndDescribed() {
        assertThat(FIRST_4096.batch()).isEqualTo(8);
        assertThat(FIRST_4096.describe()).isEqualTo("wiki.test.raw, first 4,096 tokens, ctx 256");
        assertThat(FIRST_4096.wholeText().describe()).isEqualTo("wiki.test.raw, all tokens, ctx 256");
        assertThat(new EvaluationProtocol(TEXT, 256, 4096, 2, "<|endoftext|>").describe())
                .isEqualTo("wiki.test.raw, first 4,096 tokens, ctx 256, 2 windows per forward pass, one BOS per document");
        assertThat(new EvaluationProtocol(null, 0, 0, 0, "").describe()).isEqualTo("(no text), all tokens, the model's default ctx");
        assertThat(new EvaluationProtocol(TEXT, 256, 0, 0, "").documentSeparator()).isNull();
        assertThatThrownBy(() -> EvaluationProtocol.of(TEXT, 256, 100)).hasMessageContaining("less than one window");
        assertThatThrownBy(() -> new EvaluationProtocol(TEXT, 1, 0, 0, null)).hasMessageContaining("at least 2 tokens");
        assertThatThrownBy(() -> new EvaluationProtocol(TEXT, 256, 0, -1, null)).hasMessageContaining("batch");
    }

    @Test
    void tokensAreTheTextByTheModelsTokenizerAndServeAnotherWindowOnTheSameText() throws Exception {
        ModelConfig demo = ModelConfig.read(TestData.demoModel());
        EvaluationTokens tokens = new EvaluationProtocol(TEXT, 0, 4096, 0, null).tokenize(TestData.demoModel(), demo);
        assertThat(tokens.protocol()).isEqualTo(EvaluationProtocol.of(TEXT, 512, 4096));
        assertThat(tokens.tokens().length).isGreaterThan(4096);
        assertThat(tokens.usableTokens()).isEqualTo(4096);
        EvaluationTokens whole = tokens.under(FIRST_4096.wholeText());
        assertThat(whole.tokens()).isSameAs(tokens.tokens());
        assertThat(whole.usableTokens()).isEqualTo(tokens.tokens().length);
        assertThatThrownBy(() -> tokens.under(new EvaluationProtocol(TEXT, 256, 0, 8, "\n\n"))).hasMessageContaining("do not serve");
        assertThatThrownBy(() -> new EvaluationProtocol(null, 0, 0, 0, null).tokenize(TestData.demoModel(), demo))
                .hasMessageContaining("no evaluation text");
    }
}
