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
 * The gradient-based methods end to end on the demo model (5 layers, 35 matrices, 226,560 compressible parameters) at
 * ratio 0.4 from the command line: exact FWSVD (§4.2) with uniform ranks k = floor(0.6 m n / (m + n)) recomputed here,
 * Zero-Sum SVD (§4.11) within the budget with every module's stored count recomputed from its rank (§2.4), and the same
 * Zero-Sum SVD row from {@code sweep}. Small calibration (8 x 64 tokens) and gradient windows keep it fast.
 */
class GradientMethodsCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long COMPRESSIBLE = 226_560;
    private static final List<String> SMALL = List.of("--calib-samples", "8", "--calib-length", "64", "--no-progress");
    /** FWSVD's pass is shortened too; Zero-Sum's is one window already, and the flag is not one of its options. */
    private static final List<String> FWSVD_SMALL = List.of("--gradient-batches", "4");
    private static final List<String> EVAL = List.of("--ctx", "128", "--max-tokens", "2048", "--text", TestData.wikiTestRaw().toString());

    @TempDir
    Path tmp;

    @Test
    void exactFwsvdRunsAtUniformRanksAndDiffersFromTheDiagonalApproximation() throws Exception {
        JsonNode exact = compress("fwsvd", "0.4", "--eval");
        long stored = 0;
        for (JsonNode m : exact.get("modules")) {
            int rows = m.get("rows").asInt();
            int cols = m.get("cols").asInt();
            assertThat(m.get("rank").asInt()).as(m.get("module").asText()).isEqualTo((int) Math.floor(0.6 * rows * cols / (rows + cols)));
            stored += m.get("stored").asLong();
        }
        assertThat(stored).isEqualTo(exact.get("kept_parameters_selected").asLong()).isLessThanOrEqualTo((long) (0.6 * COMPRESSIBLE));
        assertThat(exact.get("perplexity").asDouble()).isFinite().isGreaterThan(1);
        assertThat(exact.get("notes").toString()).contains("gradient pass: 4 batches x 1 windows x 64 tokens");

        JsonNode diagonal = compress("fwsvd", "0.4", "--fwsvd-fisher", "diagonal-gram");
        // the same ranks; the weights, hence the weighted truncation losses, come from different Fisher sums
        assertThat(diagonal.get("modules").get(0).get("rank")).isEqualTo(exact.get("modules").get(0).get("rank"));
        assertThat(diagonal.get("modules").get(0).get("loss").asDouble()).isNotEqualTo(exact.get("modules").get(0).get("loss").asDouble());
        assertThat(compress("fwsvd", "0.4", "--fwsvd-orientation", "output").get("modules").size()).isEqualTo(35);
    }

    @Test
    void zeroSumSvdStaysWithinTheBudgetAndItsSweepRowIsTheSameModel() throws Exception {
        JsonNode report = compress("zero-sum-svd", "0.4", "--eval");
        long stored = 0;
        int ranks = 0;
        java.util.Set<Integer> distinct = new java.util.HashSet<>();
        for (JsonNode m : report.get("modules")) {
            long rows = m.get("rows").asLong();
            long cols = m.get("cols").asLong();
            int rank = m.get("rank").asInt();
            long expected = rank == 0 ? rows * cols : rank * (rows + cols);
            assertThat(rank == 0 || rank * (rows + cols) < rows * cols).as(m.get("module").asText()).isTrue();
            assertThat(m.get("stored").asLong()).as(m.get("module").asText()).isEqualTo(expected);
            stored += expected;
            ranks++;
            distinct.add(rank);
        }
        assertThat(ranks).isEqualTo(35);
        assertThat(stored).isEqualTo(report.get("kept_parameters_selected").asLong())
                .isLessThanOrEqualTo((long) Math.floor(0.6 * COMPRESSIBLE));
        assertThat(distinct).as("ranks differ per matrix").hasSizeGreaterThan(2);
        assertThat(report.get("details").get("zero-sum.gradient").asText()).startsWith("1 window(s) x 64 tokens");

        Path json = tmp.resolve("sweep.json");
        List<String> sweep = new ArrayList<>(List.of("sweep", "--methods", "zero-sum-svd", "--ratios", "0.4", "--json", json.toString(),
                "--calib-cache", tmp.resolve("cache").toString()));
        sweep.addAll(SMALL);
        sweep.addAll(EVAL);
        CliRunner r = CliRunner.run(sweep.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode row = null;
        for (JsonNode candidate : JSON.readTree(json.toFile()).get("rows")) {
            if ("zero-sum-svd".equals(candidate.path("method").asText())) {
                row = candidate;
            }
        }
        assertThat(row).isNotNull();
        // the same calibration, gradient window and selection: the same model, evaluated the same way
        assertThat(row.get("perplexity").asDouble()).isEqualTo(report.get("perplexity").asDouble());
    }

    @Test
    void badGradientOptionsNameTheOption() {
        assertError(run("fwsvd", "0.4", "--fwsvd-fisher", "hessian"), "--fwsvd-fisher");
        assertError(run("fwsvd", "0.4", "--fwsvd-fisher", "diagonal-gram", "--fwsvd-orientation", "output"), "--fwsvd-fisher exact");
        assertError(run("fwsvd", "0.4", "--gradient-batch-size", "0"), "--gradient-batch-size must be an integer in [1,");
        assertError(run("zero-sum-svd", "0.4", "--zero-sum-rank-floor", "1.5"), "rank floor");
        assertError(run("zero-sum-svd", "0.4", "--zero-sum-rank-floor", "lots"), "--zero-sum-rank-floor");
    }

    private JsonNode compress(String method, String ratio, String... extra) throws Exception {
        CliRunner r = run(method, ratio, concat(List.of(extra), List.of("--json")));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    private CliRunner run(String method, String ratio, String... extra) {
        List<String> all = new ArrayList<>(List.of("compress", "--method", method, "--ratio", ratio,
                "--calib-cache", tmp.resolve("cache").toString()));
        all.addAll(SMALL);
        if (method.equals("fwsvd")) {
            all.addAll(FWSVD_SMALL);
        }
        all.addAll(List.of(extra));
        if (all.contains("--eval")) {
            all.addAll(EVAL);
        }
        return CliRunner.run(all.toArray(String[]::new));
    }

    private static String[] concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
    }

    private static void assertError(CliRunner r, String fragment) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertThat(last).startsWith("error: ").contains(fragment);
    }
}
