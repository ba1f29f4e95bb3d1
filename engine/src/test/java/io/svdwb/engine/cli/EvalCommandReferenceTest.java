package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.TestData;
import org.junit.jupiter.api.Test;

/**
 * The two acceptance commands, run in-process, against reference_ppl.json (an independent
 * float64 implementation; protocol ctx 256, first 20,480 tokens, 80 windows, 20,400 predictions).
 * Tolerance 0.05 % relative, as required: float32 rounding moves the mean NLL by ~1e-6 nats.
 */
class EvalCommandReferenceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode reference(String text) throws Exception {
        return JSON.readTree(TestData.demoModel().resolve("reference_ppl.json").toFile()).get("ppl").get(text);
    }

    private static JsonNode eval(String... extra) throws Exception {
        String[] base = {"eval", "--model", TestData.demoModel().toString(), "--ctx", "256", "--max-tokens", "20480",
                "--json", "--no-progress"};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    @Test
    void wikiText2TestRaw() throws Exception {
        JsonNode ref = reference("wiki.test.raw");
        JsonNode result = eval("--text", TestData.wikiTestRaw().toString());
        assertThat(result.get("windows").asInt()).isEqualTo(ref.get("windows").asInt()).isEqualTo(80);
        assertThat(result.get("tokens_predicted").asLong()).isEqualTo(ref.get("predicted_tokens").asLong()).isEqualTo(20400);
        assertThat(result.get("ctx").asInt()).isEqualTo(256);
        // the whole text tokenized without DJL's silent 512-token truncation
        assertThat(result.get("text_tokens").asLong()).isEqualTo(ref.get("text_tokens_total").asLong());
        assertThat(result.get("non_finite_predictions").asLong()).isZero();
        double expected = ref.get("ppl").asDouble();
        assertThat(result.get("perplexity").asDouble()).isCloseTo(expected, within(expected * 5e-4));
    }

    @Test
    void tinyStoriesWithOneBosPerStory() throws Exception {
        JsonNode ref = reference("TinyStories-valid.head.txt");
        JsonNode result = eval("--text", TestData.tinyStories().toString(), "--doc-sep", "<|endoftext|>");
        assertThat(result.get("windows").asInt()).isEqualTo(80);
        assertThat(result.get("tokens_predicted").asLong()).isEqualTo(20400);
        double expected = ref.get("ppl").asDouble();
        assertThat(result.get("perplexity").asDouble()).isCloseTo(expected, within(expected * 5e-4));
    }
}
