package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --exclude layer.kind,...} on the demo model (5 layers): the named matrices stay dense; bad ones are named. */
class ExcludeOptionTest {

    @TempDir
    Path tmp;

    private CliRunner compress(String... extra) {
        List<String> args = Stream.concat(Stream.of("compress", "--no-progress", "--calib-cache", tmp.resolve("cache").toString(),
                "--method", "svd", "--ratio", "0.2"), Stream.of(extra)).toList();
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void excludedMatricesAreLeftOutOfTheReportAndTheCount() throws Exception {
        CliRunner r = compress("--layers", "2-4", "--exclude", "4.down,3.q", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(r.out());
        assertThat(report.get("selection").asText()).isEqualTo("layers 2-4; modules q,k,v,o,gate,up,down; excluding 3.q,4.down");
        List<String> modules = new ArrayList<>();
        report.get("modules").forEach(m -> modules.add(m.get("module").asText()));
        assertThat(modules).hasSize(19).doesNotContain("model.layers.3.self_attn.q_proj", "model.layers.4.mlp.down_proj")
                .contains("model.layers.4.self_attn.q_proj", "model.layers.3.mlp.down_proj");
        // Per layer at c = 0.2: 2 x 25 x 128 + 2 x 17 x 96 + 3 x 37 x 236 = 35,860 of 45,312; three layers less
        // L3.q (25 x 128 of 64 x 64) and L4.down (37 x 236 of 64 x 172).
        assertThat(report.get("kept_parameters_selected").asLong()).isEqualTo(3 * 35_860L - 3_200 - 8_732);
        assertThat(report.get("original_parameters_selected").asLong()).isEqualTo(3 * 45_312L - 4_096 - 11_008);
    }

    @Test
    void badExclusionsAreNamed() {
        assertError(compress("--exclude", "3.qq"), "exclusion '3.qq': unknown module 'qq'; known: q, k, v, o, gate, up, down");
        assertError(compress("--exclude", "7.q"), "layer 7 of exclusion '7.q' is out of range: the model has layers 0-4");
        assertError(compress("--exclude", "3-q"), "exclusion '3-q' is not layer.projection, e.g. 3.q");
        assertError(compress("--modules", "q,k", "--exclude", "1.v"), "cannot exclude 1.v: it is not selected (layers 0-4; modules q,k)");
    }

    private static void assertError(CliRunner r, String fragment) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertThat(last).isEqualTo("error: " + fragment);
    }
}
