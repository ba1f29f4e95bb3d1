package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.TestData;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.model.ModelConfig;
import org.junit.jupiter.api.Test;

/** The command line's evaluation options are the engine's one protocol; a window or batch left out is its default. */
class EvaluationOptionsTest {

    @Test
    void leftOutWindowAndBatchAreTheProtocolsDefaults() throws Exception {
        ModelConfig demo = ModelConfig.read(TestData.demoModel());
        EvaluationOptions options = new EvaluationOptions();
        options.text = TestData.wikiTestRaw();
        options.maxTokens = 4096;
        assertThat(options.protocol()).isEqualTo(new EvaluationProtocol(TestData.wikiTestRaw(), EvaluationProtocol.MODEL_DEFAULT, 4096,
                EvaluationProtocol.MODEL_DEFAULT, null));
        assertThat(options.protocol().resolvedFor(demo)).isEqualTo(EvaluationProtocol.of(TestData.wikiTestRaw(), 512, 4096));

        options.ctx = 128;
        assertThat(options.protocol().resolvedFor(demo).batch()).isEqualTo(2048 / 128);
        options.batch = 3;
        options.documentSeparator = "<|endoftext|>";
        assertThat(options.protocol().resolvedFor(demo)).isEqualTo(new EvaluationProtocol(TestData.wikiTestRaw(), 128, 4096, 3, "<|endoftext|>"));
    }
}
