package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.TestData;
import io.svdwb.engine.soco.SocoScores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compress --method soco} with a few tiny training steps: the export carries soco_scores.safetensors whose
 * kept components are exactly the exported ranks, the budget holds, and the factored export reloads to the
 * in-memory perplexity. Bad SoCo options are refused with a message naming the option.
 */
class SocoCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TINY = List.of("--calib-samples", "8", "--calib-length", "64",
            "--soco-steps", "2,2,2", "--soco-batch", "2", "--soco-batch-length", "32", "--no-progress");
    private static final List<String> NO_POLISH = List.of("--soco-polish", "0");
    private static final List<String> EVAL = List.of("--ctx", "128", "--max-tokens", "2048", "--text", TestData.wikiTestRaw().toString());

    @TempDir
    Path tmp;

    @Test
    void exportCarriesTheScoresAndTheirKeptComponentsAreTheExportedRanks() throws Exception {
        Path out = tmp.resolve("soco");
        CliRunner r = run(List.of("compress", "--ratio", "0.4", "--format", "factored", "--out", out.toString(), "--eval", "--json"),
                java.util.Arrays.asList(concat(NO_POLISH, EVAL)));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode report = JSON.readTree(r.out());
        assertThat(report.get("achieved_ratio_selected").asDouble()).isGreaterThanOrEqualTo(0.4);

        SocoScores scores = SocoScores.read(out.resolve(SocoScores.FILE_NAME));
        JsonNode ranks = JSON.readTree(out.resolve("config.json").toFile()).get("truncation_ranks");
        assertThat(scores.modules()).hasSize(35);
        Iterator<Map.Entry<String, JsonNode>> fields = ranks.fields();
        int checked = 0;
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            SocoScores.ModuleScores m = scores.modules().get(e.getKey());
            assertThat(m).as(e.getKey()).isNotNull();
            assertThat(m.rank()).as(e.getKey()).isEqualTo(e.getValue().asInt());
            for (int i : m.kept()) {
                // without polish, kept components have a positive score: live ones by the prune, dead ones revived at 1
                assertThat(m.scores()[i] > 0 || m.rank() == 1).as(e.getKey() + " component " + i).isTrue();
            }
            checked++;
        }
        assertThat(checked).isEqualTo(35);
        assertThat(scores.targetRatio()).isEqualTo(0.4);

        CliRunner reloaded = CliRunner.run(concat(List.of("eval", "--model", out.toString(), "--json", "--no-progress"), EVAL));
        assertThat(reloaded.exitCode()).as(reloaded.err()).isZero();
        double inMemory = report.get("perplexity").asDouble();
        // the same float32 factors evaluated the same way: summation order only (as for the other factored exports)
        assertThat(JSON.readTree(reloaded.out()).get("perplexity").asDouble()).isCloseTo(inMemory, within(1e-6 * inMemory));
    }

    @Test
    void aCheckpointIsWrittenAndAResumedRunFinishesFromIt() throws Exception {
        Path checkpoint = tmp.resolve("scores.ckpt");
        CliRunner first = run(List.of("compress", "--ratio", "0.6", "--soco-checkpoint", checkpoint.toString(),
                "--soco-checkpoint-every", "2", "--soco-polish", "2", "--json"), List.of());
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(Files.isRegularFile(checkpoint)).isTrue();
        CliRunner again = run(List.of("compress", "--ratio", "0.6", "--soco-checkpoint", checkpoint.toString(),
                "--soco-resume", "--soco-polish", "2", "--json"), List.of());
        assertThat(again.exitCode()).as(again.err()).isZero();
        JsonNode a = JSON.readTree(first.out());
        JsonNode b = JSON.readTree(again.out());
        // the checkpoint holds the finished run, so the resumed one trains 0 steps; the prune and the (deterministic)
        // polish then give the same ranks and losses
        assertThat(b.get("details").get("soco.steps").asText()).startsWith("0");
        assertThat(b.get("modules")).isEqualTo(a.get("modules"));
    }

    @Test
    void aSweepRowOfSocoEqualsTheSameCompressWithEvaluation() throws Exception {
        Path json = tmp.resolve("sweep.json");
        CliRunner sweep = run(List.of("sweep", "--methods", "svd-llm,soco", "--ratios", "0.4", "--json", json.toString()),
                java.util.Arrays.asList(concat(NO_POLISH, EVAL)));
        assertThat(sweep.exitCode()).as(sweep.err()).isZero();
        JsonNode rows = JSON.readTree(json.toFile()).get("rows");
        JsonNode soco = null;
        for (JsonNode row : rows) {
            if ("soco".equals(row.path("method").asText())) {
                soco = row;
            }
        }
        assertThat(soco).as(rows.toString()).isNotNull();
        CliRunner single = run(List.of("compress", "--ratio", "0.4", "--eval", "--json"), java.util.Arrays.asList(concat(NO_POLISH, EVAL)));
        assertThat(single.exitCode()).as(single.err()).isZero();
        // the same calibration, seed and settings train the same scores: the sweep's row is that model's perplexity
        assertThat(soco.get("perplexity").asDouble()).isEqualTo(JSON.readTree(single.out()).get("perplexity").asDouble());
        assertThat(soco.get("achieved_ratio_selected").asDouble()).isGreaterThanOrEqualTo(0.4);
    }

    @Test
    void theDeviationTermCountsInTheBudgetAndAnExportWithoutBiasesRefusesIt() throws Exception {
        CliRunner r = run(List.of("compress", "--ratio", "0.4", "--soco-deviation", "on", "--eval", "--json"),
                java.util.Arrays.asList(concat(List.of("--soco-polish", "2"), EVAL)));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode report = JSON.readTree(r.out());
        long stored = 0;
        for (JsonNode m : report.get("modules")) {
            int rows = m.get("rows").asInt();
            int cols = m.get("cols").asInt();
            // k (m + n) for the factors plus m for d (docs/METHODS.md §2.4's "+ m if enabled")
            assertThat(m.get("stored").asLong()).isEqualTo((long) m.get("rank").asInt() * (rows + cols) + rows);
            stored += m.get("stored").asLong();
        }
        assertThat(stored).isEqualTo(report.get("kept_parameters_selected").asLong());
        assertThat(stored).isLessThanOrEqualTo((long) Math.floor(0.6 * 226_560));
        assertThat(report.get("perplexity").asDouble()).isFinite();

        CliRunner export = run(List.of("compress", "--ratio", "0.4", "--soco-deviation", "on", "--out", tmp.resolve("dev").toString()),
                List.of("--soco-polish", "2"));
        assertError(export, "--soco-deviation on stores d as a bias");
        assertThat(Files.exists(tmp.resolve("dev"))).isFalse();
    }

    @Test
    void badSocoOptionsNameTheOption() {
        // after the fixture's own --soco-steps: the last of a repeated option wins
        assertError(run(List.of("compress", "--ratio", "0.4"), List.of("--soco-steps", "2,2")), "--soco-steps");
        assertError(run(List.of("compress", "--ratio", "0.4", "--soco-lr", "0.01,-1,0.01"), List.of()), "learning rate");
        assertError(run(List.of("compress", "--ratio", "0.4", "--soco-resume"), List.of()), "checkpoint");
    }

    private CliRunner run(List<String> args, List<String> extra) {
        List<String> all = new java.util.ArrayList<>(args);
        if (args.get(0).equals("compress")) {
            all.addAll(List.of("--method", "soco"));
        }
        all.addAll(TINY);
        all.addAll(List.of("--calib-cache", tmp.resolve("cache").toString()));
        all.addAll(extra);
        return CliRunner.run(all.toArray(String[]::new));
    }

    private static void assertError(CliRunner r, String fragment) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertThat(last).startsWith("error: ").contains(fragment);
    }

    private static String[] concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
    }
}
