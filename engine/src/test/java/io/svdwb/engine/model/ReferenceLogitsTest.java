package io.svdwb.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.TestData;
import io.svdwb.engine.eval.TokenLogProbabilities;
import io.svdwb.engine.linalg.CpuLinearAlgebra;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The forward pass against reference_logits_wikitext2_test.json, written by an independent float64
 * implementation (tools/ref_llama.py). Tolerance 1e-3 on log-probabilities and log-sum-exp: our pass
 * is float32 end to end, whose rounding over 5 layers of width 64 stays near 1e-5, so 1e-3 leaves
 * ample margin while any real error (a wrong rotary pairing, a missing norm) shifts them by > 0.1.
 */
class ReferenceLogitsTest {

    @Test
    void matchesTheFloat64ReferenceAtAllSixteenPositions() throws Exception {
        JsonNode ref = new ObjectMapper().readTree(TestData.demoModel().resolve("reference_logits_wikitext2_test.json").toFile());
        String text = Files.readString(TestData.wikiTestRaw());
        try (Checkpoint checkpoint = Checkpoint.open(TestData.demoModel());
             TextTokenizer tokenizer = TextTokenizer.open(TestData.demoModel())) {
            int[] encoded = tokenizer.encode(text.substring(0, 2000));
            JsonNode refIds = ref.get("ids");
            assertThat(tokenizer.bosId()).isEqualTo(refIds.get(0).asInt());
            for (int i = 1; i < refIds.size(); i++) {
                assertThat(encoded[i - 1]).as("token id %d", i).isEqualTo(refIds.get(i).asInt());
            }
            int positions = ref.get("positions").size();
            int[] input = new int[positions];
            for (int i = 0; i < positions; i++) {
                input[i] = refIds.get(i).asInt();
            }
            LlamaModel model = new LlamaModel(checkpoint, new CpuLinearAlgebra(), LlamaModel.Residency.KEEP);
            float[] logits = model.forward(new int[][] {input});
            int vocab = model.config().vocabSize();
            for (JsonNode p : ref.get("positions")) {
                int pos = p.get("pos").asInt();
                int offset = pos * vocab;
                double lse = TokenLogProbabilities.logSumExp(logits, offset, vocab);
                assertThat(TokenLogProbabilities.argmax(logits, offset, vocab)).as("argmax at %d", pos).isEqualTo(p.get("argmax").asInt());
                assertThat(lse).as("logsumexp at %d", pos).isCloseTo(p.get("logsumexp").asDouble(), within(1e-3));
                assertThat(logits[offset + p.get("next_id").asInt()] - lse).as("logprob_next at %d", pos)
                        .isCloseTo(p.get("logprob_next").asDouble(), within(1e-3));
            }
        }
    }
}
