package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --rank-map} on the command line: a Palu map compresses exactly its modules, and bad uses are refused early. */
class RankMapCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private CliRunner compress(String... extra) {
        List<String> args = Stream.concat(Stream.of("compress", "--no-progress", "--calib-cache", tmp.resolve("cache").toString()),
                Stream.of(extra)).toList();
        return CliRunner.run(args.toArray(String[]::new));
    }

    private Path paluConfig() throws Exception {
        // utils.py dump_to_huggingface_repos (shadowpa0327/Palu) layout; k/v are 32 x 64 on the demo, 2 groups of 16 rows
        StringBuilder ranks = new StringBuilder();
        for (int layer = 0; layer < 5; layer++) {
            ranks.append(layer == 0 ? "" : ",").append("\"model.layers.").append(layer).append(".self_attn.k_proj\": [6, 4], ")
                    .append("\"model.layers.").append(layer).append(".self_attn.v_proj\": [8, 8]");
        }
        Path file = tmp.resolve("palu-config.json");
        Files.writeString(file, "{\"model_type\": \"palullama\", \"head_wise_ranks\": {" + ranks + "}}");
        return file;
    }

    @Test
    void aPaluMapCompressesItsModulesAtTheSummedRanksAndTheRestStaysDense() throws Exception {
        CliRunner r = compress("--method", "svd", "--ratio", "0.4", "--rank-map", paluConfig().toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode report = JSON.readTree(r.out());
        for (JsonNode m : report.get("modules")) {
            String module = m.get("module").asText();
            int expected = module.endsWith("k_proj") ? 10 : module.endsWith("v_proj") ? 16 : 0;
            assertThat(m.get("rank").asInt()).as(module).isEqualTo(expected);
        }
        // per layer: 45312 weights; k keeps 10 (32 + 64), v 16 (32 + 64), the other 41216 stay: 1 - 43712 / 45312
        assertThat(report.get("achieved_ratio_selected").asDouble()).isCloseTo(1600.0 / 45312, within(1e-12));
        assertThat(report.get("details").get("rank_map.ratio").asText()).contains("0.0353 realised").contains("differs from --ratio 0.4000");
        assertThat(report.get("details").get("rank_map.missing").asText()).contains("25 of 35").contains("kept dense");
    }

    @Test
    void badRankMapUsesAreRefusedWithTheProblemNamed() throws Exception {
        assertError(compress("--method", "svd", "--ratio", "0.4", "--rank-map", paluConfig().toString(), "--rank-map-format", "svdllm"),
                "unknown rank-map format 'svdllm'");
        assertError(compress("--method", "svd", "--ratio", "0.4", "--rank-map", paluConfig().toString(), "--rank-map-missing", "zero"),
                "choose dense or method");
        assertError(compress("--method", "soco", "--ratio", "0.4", "--rank-map", paluConfig().toString()), "cannot seed soco");
        assertError(compress("--method", "svd", "--ratio", "0.4", "--rank-map", paluConfig().toString(), "--rank-map-format", "asvd"),
                "model_type must be an integer rank", "no truncation_ranks key");
        Path broken = tmp.resolve("broken.json");
        Files.writeString(broken, "{\"truncation_ranks\": {\"model.layers.0.self_attn.q_proj\": 12");
        assertError(compress("--method", "svd", "--ratio", "0.4", "--rank-map", broken.toString()), "broken.json: malformed JSON");
    }

    private static void assertError(CliRunner r, String... fragments) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertThat(last).startsWith("error: ").contains(fragments);
    }
}
