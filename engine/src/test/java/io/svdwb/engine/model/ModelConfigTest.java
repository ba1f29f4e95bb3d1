package io.svdwb.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ModelConfigTest {

    private static ModelConfig parse(String json) throws Exception {
        return ModelConfig.parse(new ObjectMapper().readTree(json), "config.json");
    }

    private static final String LLAMA_7B = """
            {"model_type":"llama","hidden_size":4096,"intermediate_size":11008,"num_hidden_layers":32,
             "num_attention_heads":32,"vocab_size":32000,"max_position_embeddings":2048,"rms_norm_eps":1e-6,
             "rope_scaling":null,"torch_dtype":"float16","eos_token_id":[2,3],"some_unknown_key":{"x":1}}""";

    @Test
    void llamaDefaultsAndUnknownKeys() throws Exception {
        ModelConfig c = parse(LLAMA_7B);
        assertThat(c.numKvHeads()).as("no num_key_value_heads means MHA").isEqualTo(32);
        assertThat(c.headDim()).isEqualTo(128);
        assertThat(c.ropeTheta()).isEqualTo(10000.0);
        assertThat(c.ropeScaling().type()).isEqualTo(RopeScaling.Type.NONE);
        assertThat(c.tieWordEmbeddings()).isFalse();
        assertThat(c.attentionBias()).isFalse();
    }

    @Test
    void mistralGqaShapes() throws Exception {
        ModelConfig c = parse("""
                {"model_type":"mistral","hidden_size":4096,"intermediate_size":14336,"num_hidden_layers":32,
                 "num_attention_heads":32,"num_key_value_heads":8,"vocab_size":32000,"rope_theta":1000000.0,"sliding_window":null}""");
        assertThat(ProjectionKind.K.outFeatures(c)).isEqualTo(1024);
        assertThat(ProjectionKind.K.inFeatures(c)).isEqualTo(4096);
        assertThat(ProjectionKind.O.inFeatures(c)).isEqualTo(4096);
        assertThat(ProjectionKind.DOWN.inFeatures(c)).isEqualTo(14336);
        assertThat(c.ropeTheta()).isEqualTo(1e6);
    }

    @Test
    void qwen2HasQkvBiasesButNoOutputBias() throws Exception {
        ModelConfig c = parse("""
                {"model_type":"qwen2","hidden_size":896,"intermediate_size":4864,"num_hidden_layers":24,
                 "num_attention_heads":14,"num_key_value_heads":2,"vocab_size":151936,"tie_word_embeddings":true}""");
        assertThat(ProjectionKind.Q.hasBias(c)).isTrue();
        assertThat(ProjectionKind.K.hasBias(c)).isTrue();
        assertThat(ProjectionKind.V.hasBias(c)).isTrue();
        assertThat(ProjectionKind.O.hasBias(c)).isFalse();
        assertThat(ProjectionKind.GATE.hasBias(c)).isFalse();
        assertThat(c.headDim()).isEqualTo(64);
        assertThat(c.tieWordEmbeddings()).isTrue();
    }

    @Test
    void explicitHeadDimWins() throws Exception {
        ModelConfig c = parse("""
                {"model_type":"mistral","hidden_size":5120,"intermediate_size":14336,"num_hidden_layers":40,
                 "num_attention_heads":32,"num_key_value_heads":8,"head_dim":128,"vocab_size":131072}""");
        assertThat(c.qDim()).isEqualTo(4096);
        assertThat(ProjectionKind.O.inFeatures(c)).isEqualTo(4096);
        assertThat(ProjectionKind.O.outFeatures(c)).isEqualTo(5120);
    }

    @Test
    void ropeScalingVariants() throws Exception {
        assertThat(parse(LLAMA_7B.replace("\"rope_scaling\":null", "\"rope_scaling\":{\"type\":\"linear\",\"factor\":4.0}"))
                .ropeScaling()).isEqualTo(RopeScaling.linear(4.0));
        ModelConfig llama31 = parse(LLAMA_7B.replace("\"rope_scaling\":null", """
                "rope_scaling":{"rope_type":"llama3","factor":8.0,"low_freq_factor":1.0,"high_freq_factor":4.0,
                "original_max_position_embeddings":8192}"""));
        assertThat(llama31.ropeScaling()).isEqualTo(RopeScaling.llama3(8, 1, 4, 8192));
        assertThatThrownBy(() -> parse(LLAMA_7B.replace("\"rope_scaling\":null", "\"rope_scaling\":{\"type\":\"longrope\",\"factor\":4}")))
                .hasMessageContaining("rope_scaling.type 'longrope' is not supported").hasMessageContaining("default, linear, dynamic, llama3, yarn");
    }

    @Test
    void unsupportedTypeListsSupportedOnes() {
        assertThatThrownBy(() -> parse("{\"model_type\":\"opt\"}"))
                .isInstanceOf(ModelConfigException.class)
                .hasMessageContaining("'opt'").hasMessageContaining("llama, mistral, qwen2, qwen3");
    }

    @Test
    void missingOrMistypedFieldsAreNamed() {
        assertThatThrownBy(() -> parse(LLAMA_7B.replace("\"hidden_size\":4096,", "")))
                .hasMessageContaining("missing required field 'hidden_size'");
        assertThatThrownBy(() -> parse(LLAMA_7B.replace("\"hidden_size\":4096", "\"hidden_size\":\"4096\"")))
                .hasMessageContaining("hidden_size must be an integer").hasMessageContaining("got \"4096\"");
        assertThatThrownBy(() -> parse(LLAMA_7B.replace("\"num_attention_heads\":32", "\"num_attention_heads\":32,\"num_key_value_heads\":5")))
                .hasMessageContaining("not a multiple");
    }
}
