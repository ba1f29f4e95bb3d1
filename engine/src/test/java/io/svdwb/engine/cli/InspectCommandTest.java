package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.TestData;
import org.junit.jupiter.api.Test;

/**
 * Parameter counts of stories260K computed by hand from its documented architecture (dim 64,
 * 5 layers, 8 query and 4 key/value heads of size 8, SwiGLU 172, vocabulary 512, tied embeddings):
 * per layer q 64x64, k and v 32x64, o 64x64, gate and up 172x64, down 64x172.
 */
class InspectCommandTest {

    private static final long PER_LAYER = 64 * 64 + 2 * 32 * 64 + 64 * 64 + 3 * 172 * 64;
    private static final long COMPRESSIBLE = 5 * PER_LAYER;
    /** Plus embeddings (once, tied), 2 norms per layer and the final norm: the documented 260,032. */
    private static final long TOTAL = COMPRESSIBLE + 512 * 64 + 5 * 2 * 64 + 64;

    @Test
    void tableListsEveryMatrixAndTheTotals() {
        CliRunner r = CliRunner.run("inspect", "--model", TestData.demoModel().toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(TOTAL).isEqualTo(260_032);
        assertThat(r.out()).contains("model.layers.4.mlp.down_proj.weight", "64 x 172")
                .contains(String.format("%,d", COMPRESSIBLE)).contains(String.format("%,d", TOTAL));
        assertThat(r.out().lines().filter(l -> l.contains("_proj.weight")).count()).isEqualTo(35);
    }

    @Test
    void jsonGivesShapesAndCounts() throws Exception {
        CliRunner r = CliRunner.run("inspect", "--model", TestData.demoModel().toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("compressible_parameters").asLong()).isEqualTo(COMPRESSIBLE);
        assertThat(root.get("total_parameters").asLong()).isEqualTo(TOTAL);
        JsonNode k = root.get("matrices").get(1);
        assertThat(k.get("module").asText()).isEqualTo("k");
        assertThat(k.get("rows").asInt()).as("GQA: 4 kv heads x 8").isEqualTo(32);
        assertThat(k.get("cols").asInt()).isEqualTo(64);
    }
}
