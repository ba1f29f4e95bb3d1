package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench svd} on tiny matrices: the options, the table and the JSON file (no timing asserted). */
class BenchSvdCommandTest {

    @Test
    void printsATableAndWritesJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("svd.json");
        CliRunner r = CliRunner.run("bench", "svd", "--sizes", "32,24x40", "--skip", "ejml", "--no-progress",
                "--json", json.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("nd4j/engine", "ejml/engine");
        assertThat(r.out().lines().filter(l -> l.startsWith("32x32 ") || l.startsWith("24x40 ")))
                .hasSize(2).allSatisfy(l -> assertThat(l).contains("skipped (--skip)"));
        JsonNode rows = new ObjectMapper().readTree(json.toFile()).get("rows");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).get("shape").get("columns").asInt()).isEqualTo(40);
        assertThat(rows.get(1).get("nd4j").get("status").asText()).isEqualTo("OK");
        assertThat(rows.get(1).get("nd4jOverEngine").asDouble()).isPositive();
        assertThat(rows.get(1).get("ejml").get("status").asText()).isEqualTo("SKIPPED");
        assertThat(rows.get(1).get("ejmlOverEngine").isNull()).isTrue();
    }

    @Test
    void rejectsSkippingTheBaselineAndBadSizes() {
        assertThat(CliRunner.run("bench", "svd", "--skip", "engine").err()).contains("baseline");
        CliRunner bad = CliRunner.run("bench", "svd", "--sizes", "12y4");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("bad matrix size '12y4'");
    }
}
