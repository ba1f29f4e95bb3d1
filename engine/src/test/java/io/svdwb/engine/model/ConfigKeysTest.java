package io.svdwb.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The config keys of docs/CONFIG.md: both rotary forms, and every key that would change the forward pass
 * read exactly or refused with its name and value. Expected defaults are transformers 5.18's config classes'.
 */
class ConfigKeysTest {

    private static final String BASE = """
            {"model_type":"%s","hidden_size":64,"intermediate_size":128,"num_hidden_layers":2,
             "num_attention_heads":4,"vocab_size":100,"max_position_embeddings":4096 %s}""";

    private static ModelConfig parse(String type, String extra) throws Exception {
        return ModelConfig.parse(new ObjectMapper().readTree(BASE.formatted(type, extra)), "config.json");
    }

    private static ModelConfig llama(String extra) throws Exception {
        return parse("llama", extra);
    }

    @Test
    void ropeParametersAndOldKeysGiveTheSameRotation() throws Exception {
        ModelConfig v5 = llama(", \"rope_parameters\":{\"rope_type\":\"llama3\",\"rope_theta\":500000.0,\"factor\":8.0,\"low_freq_factor\":1.0, \"high_freq_factor\":4.0,\"original_max_position_embeddings\":8192}");
        ModelConfig v4 = llama(",\"rope_theta\":500000.0, \"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":8.0,\"low_freq_factor\":1.0,\"high_freq_factor\":4.0, \"original_max_position_embeddings\":8192}");
        assertThat(v5.ropeTheta()).isEqualTo(500000.0).isEqualTo(v4.ropeTheta());
        assertThat(v5.ropeScaling()).isEqualTo(RopeScaling.llama3(8, 1, 4, 8192)).isEqualTo(v4.ropeScaling());
        ModelConfig plain = llama(",\"rope_parameters\":{\"rope_theta\":1000000.0,\"rope_type\":\"default\"}");
        assertThat(plain.ropeTheta()).isEqualTo(1e6);
        assertThat(plain.ropeScaling()).isEqualTo(RopeScaling.NONE);
    }

    @Test
    void bothFormsMustAgree() {
        assertThatThrownBy(() -> llama(",\"rope_theta\":10000.0,\"rope_parameters\":{\"rope_theta\":500000.0,\"rope_type\":\"default\"}"))
                .hasMessageContaining("rope_theta 10000.0 disagrees with rope_parameters.rope_theta 500000.0");
        assertThatThrownBy(() -> llama(",\"rope_scaling\":{\"rope_type\":\"linear\",\"factor\":2.0}, \"rope_parameters\":{\"rope_theta\":10000.0,\"rope_type\":\"linear\",\"factor\":4.0}"))
                .hasMessageContaining("rope_scaling").hasMessageContaining("disagrees with rope_parameters");
    }

    @Test
    void aRopeScalingWithoutTypeOrWithAnUnknownTypeOrKeyIsRefused() {
        assertThatThrownBy(() -> llama(",\"rope_scaling\":{\"factor\":8.0}"))
                .hasMessage("config.json: rope_scaling has no rope_type (or type): {\"factor\":8.0}");
        assertThatThrownBy(() -> llama(",\"rope_parameters\":{\"rope_type\":\"longrope\",\"rope_theta\":10000.0}"))
                .hasMessageContaining("rope_parameters.rope_type 'longrope' is not supported");
        assertThatThrownBy(() -> llama(",\"rope_scaling\":{\"rope_type\":\"linear\",\"factor\":2.0,\"mscale\":0.7}"))
                .hasMessageContaining("rope_scaling.mscale = 0.7 is not read for rope_type 'linear'");
        assertThatThrownBy(() -> llama(",\"rope_scaling\":{\"rope_type\":\"linear\",\"factor\":\"2\"}"))
                .hasMessageContaining("rope_scaling.factor must be a number, got \"2\"");
        assertThatThrownBy(() -> llama(",\"rope_parameters\":{\"rope_theta\":10000.0,\"factor\":4.0}"))
                .hasMessageContaining("rope_parameters sets [factor] but no rope_type");
    }

    @Test
    void wrongTypesAndRangesAreErrorsNotDefaults() {
        assertThatThrownBy(() -> llama(",\"rms_norm_eps\":\"abc\""))
                .hasMessage("config.json: rms_norm_eps must be a number, got \"abc\"");
        assertThatThrownBy(() -> llama(",\"rms_norm_eps\":-1e-6"))
                .hasMessageContaining("rms_norm_eps must be a number > 0.0, got -1.0E-6");
        assertThatThrownBy(() -> llama(",\"tie_word_embeddings\":\"yes\""))
                .hasMessageContaining("tie_word_embeddings must be true or false, got \"yes\"");
        assertThatThrownBy(() -> llama(",\"rope_theta\":0"))
                .hasMessageContaining("rope_theta must be a number > 1.0");
        assertThatThrownBy(() -> llama(",\"num_key_value_heads\":0"))
                .hasMessageContaining("num_key_value_heads must be an integer >= 1, got 0");
        assertThatThrownBy(() -> llama(",\"max_position_embeddings\":2.5"))
                .hasMessageContaining("max_position_embeddings must be an integer");
    }

    @Test
    void unimplementedMathIsRefusedByKeyAndValue() {
        assertThatThrownBy(() -> llama(",\"hidden_act\":\"gelu\""))
                .hasMessageContaining("hidden_act 'gelu' is not supported");
        assertThatThrownBy(() -> llama(",\"partial_rotary_factor\":0.5"))
                .hasMessageContaining("partial_rotary_factor = 0.5 is not supported");
        assertThatThrownBy(() -> llama(",\"rope_parameters\":{\"rope_type\":\"default\",\"rope_theta\":1e4,\"partial_rotary_factor\":0.25}"))
                .hasMessageContaining("rope_parameters.partial_rotary_factor = 0.25 is not supported");
    }

    @Test
    void swishIsSilu() throws Exception {
        assertThat(llama(",\"hidden_act\":\"swish\"").hiddenAct()).isEqualTo("silu");
    }

    @Test
    void slidingWindowsAreRunOnlyWhereTheyChangeNothing() throws Exception {
        ModelConfig mistral = parse("mistral", ",\"sliding_window\":16");
        mistral.requireSupportedSequenceLength(16); // q - k <= 15 < 16: the window masks nothing
        assertThatThrownBy(() -> mistral.requireSupportedSequenceLength(17)).hasMessageContaining("sliding_window 16");
        assertThat(parse("mistral", ",\"sliding_window\":null").slidingWindow()).isZero();
        assertThat(parse("qwen2", ",\"sliding_window\":16,\"use_sliding_window\":false").slidingWindow()).isZero();
        assertThat(parse("qwen2", ",\"sliding_window\":16,\"use_sliding_window\":true,\"max_window_layers\":2").slidingWindow())
                .as("layers from max_window_layers on slide; there are only 2").isZero();
        assertThat(parse("qwen3", ",\"sliding_window\":16,\"use_sliding_window\":true,\"max_window_layers\":1").slidingWindow()).isEqualTo(16);
        assertThat(parse("qwen3", ",\"sliding_window\":16,\"use_sliding_window\":true, \"layer_types\":[\"full_attention\",\"sliding_attention\"]").slidingWindow()).isEqualTo(16);
        assertThatThrownBy(() -> parse("qwen3", ",\"use_sliding_window\":true,\"layer_types\":[\"full_attention\",\"chunked\"]"))
                .hasMessageContaining("layer_types holds \"chunked\"");
        assertThat(parse("llama", ",\"sliding_window\":16").slidingWindow()).as("llama has no window").isZero();
    }

    @Test
    void dynamicNtkIsTheDefaultRotationUpToItsLengthAndRefusedBeyond() throws Exception {
        ModelConfig c = llama(",\"rope_scaling\":{\"type\":\"dynamic\",\"factor\":2.0}");
        assertThat(c.ropeScaling().inverseFrequencies(16, 10000)).containsExactly(RopeScaling.NONE.inverseFrequencies(16, 10000));
        c.requireSupportedSequenceLength(4096);
        assertThatThrownBy(() -> c.requireSupportedSequenceLength(4097)).hasMessageContaining("rope_type dynamic");
    }

    @Test
    void yarnAttentionFactorFollowsTransformersDefault() throws Exception {
        ModelConfig c = parse("qwen2", ",\"rope_scaling\":{\"type\":\"yarn\",\"factor\":4.0,\"original_max_position_embeddings\":1024}");
        // transformers: attention_factor = 0.1 * ln(factor) + 1 when neither it nor mscale/mscale_all_dim is given
        assertThat(c.ropeScaling().attentionFactor()).isCloseTo(0.1 * Math.log(4) + 1, within(1e-15));
        assertThat(c.ropeScaling().originalMaxPositionEmbeddings()).isEqualTo(1024);
    }

    @Test
    void biasesFollowEachFamilysModelingFile() throws Exception {
        assertThat(parse("mistral", ",\"attention_bias\":true,\"mlp_bias\":true").attentionBias()).as("mistral ignores it").isFalse();
        ModelConfig qwen3 = parse("qwen3", ",\"attention_bias\":true");
        assertThat(ProjectionKind.O.hasBias(qwen3)).isTrue();
        assertThat(ProjectionKind.GATE.hasBias(parse("qwen3", ",\"mlp_bias\":true"))).isFalse();
        assertThat(ProjectionKind.GATE.hasBias(llama(",\"mlp_bias\":true"))).isTrue();
    }

    @Test
    void qwen3HeadDimDefaultsTo128AndHasQueryKeyNorms() throws Exception {
        ModelConfig c = parse("qwen3", "");
        assertThat(c.headDim()).as("Qwen3Config.head_dim default, not hidden/heads").isEqualTo(128);
        assertThat(c.hasQueryKeyNorm()).isTrue();
        assertThat(c.qDim()).isEqualTo(512);
        assertThat(parse("qwen2", "").hasQueryKeyNorm()).isFalse();
    }
}
