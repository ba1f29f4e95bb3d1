package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code bench soco} on tiny models: it runs, its numbers are positive and finite, and it counts the scores (no timing asserted). */
class BenchSocoCommandTest {

    @Test
    void timesAStepOnATinySyntheticModelAndCountsItsScores() throws Exception {
        CliRunner r = CliRunner.run("bench", "soco", "--synthetic-hidden", "64", "--synthetic-vocab", "256",
                "--batch", "1", "--length", "8", "--steps", "1", "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(r.out()).get(0);
        // hidden 64 -> intermediate round(64 x 11008/4096 / 64) x 64 = 192, one head of 64;
        // r_cap = floor(mn / (m + n)): q, k, v, o 64x64 -> 32 each; gate, up 192x64 and down 64x192 -> 48 each
        assertThat(result.get("intermediateSize").asInt()).isEqualTo(192);
        assertThat(result.get("trainableProjections").asInt()).isEqualTo(7);
        assertThat(result.get("trainableScores").asLong()).isEqualTo(4 * 32 + 3 * 48);
        assertPositiveAndFinite(result, "stepMedianSeconds", "stepMinSeconds", "forwardMedianSeconds", "forwardMinSeconds",
                "stepOverForward", "setupSeconds");
    }

    @Test
    void defaultsToTheDemoModelAndPrintsATable() {
        CliRunner r = CliRunner.run("bench", "soco", "--batch", "1", "--length", "8", "--steps", "1", "--no-progress");

        assertThat(r.exitCode()).as(r.err()).isZero();
        // stories260K: 5 layers; q, o 64x64 -> 32; k, v 32x64 -> 21; gate, up 172x64 and down 64x172 -> 46
        assertThat(r.out()).contains("step/fwd").containsPattern("\\s1x8\\s+" + 5 * (2 * 32 + 2 * 21 + 3 * 46) + "\\s");
    }

    @Test
    void rejectsAModelTogetherWithSyntheticSizes() {
        CliRunner r = CliRunner.run("bench", "soco", "--model", "x", "--synthetic-hidden", "64");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("exclude each other");
    }

    private static void assertPositiveAndFinite(JsonNode node, String... fields) {
        for (String f : fields) {
            double v = node.get(f).asDouble();
            assertThat(Double.isFinite(v) && v > 0).as(f + " = " + v).isTrue();
        }
    }
}
