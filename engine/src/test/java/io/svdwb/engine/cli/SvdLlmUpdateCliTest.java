package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.TestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code svd-llm --svd-llm-update on} end to end on the demo model at 0.4 (docs/METHODS.md §4.4): it runs, keeps SVD-LLM
 * (W)'s ranks, lowers the layer-wise error it minimises, and a sweep's {@code svd-llm+update} row is that same model.
 */
class SvdLlmUpdateCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SMALL = List.of("--calib-samples", "16", "--calib-length", "128", "--no-progress", "--ctx", "128", "--max-tokens", "2048", "--text", TestData.wikiTestRaw().toString());

    @TempDir
    Path tmp;

    @Test
    void compressWithTheUpdateRunsAndLowersTheLayerwiseError() throws Exception {
        CliRunner updated = run("compress", "--method", "svd-llm", "--ratio", "0.4", "--svd-llm-update", "on", "--eval", "--json");
        assertThat(updated.exitCode()).as(updated.err()).isZero();
        CliRunner plain = run("compress", "--method", "svd-llm", "--ratio", "0.4", "--eval", "--json");
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        JsonNode u = JSON.readTree(updated.out());
        JsonNode p = JSON.readTree(plain.out());
        assertThat(u.get("perplexity").asDouble()).isFinite();
        // B and the ranks are SVD-LLM (W)'s: the stored parameters are identical
        assertThat(u.get("kept_parameters_selected").asLong()).isEqualTo(p.get("kept_parameters_selected").asLong());
        assertThat(u.get("achieved_ratio_selected").asDouble()).isGreaterThanOrEqualTo(0.4);
        assertThat(u.get("details").get("svd_llm.update").asText()).contains("4 windows").contains("target current");
        assertThat(p.get("details").has("svd_llm.update")).isFalse();
        // A is the least-squares minimiser of the error it reports, so no matrix's error can rise: the mean ratio of
        // after to before is below 1 (the update windows are not the whitening windows, so it is strictly below)
        double ratio = Double.parseDouble(u.get("details").get("svd_llm.update.error_ratio").asText().split(" ")[0]);
        assertThat(ratio).isLessThan(1.0).isGreaterThan(0.0);
    }

    @Test
    void aSweepComparesSvdLlmWithAndWithoutTheUpdate() throws Exception {
        Path json = tmp.resolve("sweep.json");
        CliRunner sweep = run("sweep", "--methods", "svd-llm,svd-llm+update", "--ratios", "0.4", "--json", json.toString());
        assertThat(sweep.exitCode()).as(sweep.err()).isZero();
        assertThat(sweep.out()).containsPattern("(?m)^svd-llm\\s+0\\.40").containsPattern("(?m)^svd-llm\\+update\\s+0\\.40");
        double sweptUpdate = Double.NaN;
        for (JsonNode row : JSON.readTree(json.toFile()).get("rows")) {
            if (row.path("details").has("svd_llm.update")) {
                sweptUpdate = row.get("perplexity").asDouble();
            }
        }
        CliRunner single = run("compress", "--method", "svd-llm", "--ratio", "0.4", "--svd-llm-update", "on", "--eval", "--json");
        assertThat(single.exitCode()).as(single.err()).isZero();
        // the same calibration, update windows and evaluation: the sweep's row is that model's perplexity
        assertThat(sweptUpdate).isEqualTo(JSON.readTree(single.out()).get("perplexity").asDouble());
    }

    @Test
    void badUpdateOptionsNameTheOption() {
        assertError(run("compress", "--method", "svd-llm", "--ratio", "0.4", "--svd-llm-update", "yes"), "--svd-llm-update must be one of on, off, got 'yes'");
        assertError(run("compress", "--method", "svd-llm", "--ratio", "0.4", "--svd-llm-update", "on", "--svd-llm-update-target", "x"),
                "--svd-llm-update-target must be one of current, original, got 'x'");
        assertError(run("compress", "--method", "svd-llm", "--ratio", "0.4", "--svd-llm-update", "on", "--svd-llm-update-samples", "0"),
                "--svd-llm-update-samples must be an integer in [1, 1048576], got 0");
        assertError(run("compress", "--method", "svd-llm", "--ratio", "0.4", "--svd-llm-ratios", "v3"), "--svd-llm-ratios must be one of uniform, v2, got 'v3'");
        assertError(run("sweep", "--methods", "svd-llm+lora", "--ratios", "0.4"), "unknown sweep variant 'lora' in 'svd-llm+lora'; svd-llm has update, v2");
    }

    private CliRunner run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(SMALL);
        if (!all.contains("--svd-llm-update-samples")) {
            all.addAll(List.of("--svd-llm-update-samples", "4"));
        }
        all.addAll(List.of("--calib-cache", tmp.resolve("cache").toString()));
        return CliRunner.run(all.toArray(String[]::new));
    }

    private static void assertError(CliRunner r, String fragment) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertThat(last).startsWith("error: ").contains(fragment);
    }
}
