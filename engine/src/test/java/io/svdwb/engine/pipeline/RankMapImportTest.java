package io.svdwb.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.TestData;
import io.svdwb.engine.calibration.Calibration;
import io.svdwb.engine.calibration.CalibrationCache;
import io.svdwb.engine.calibration.CalibrationSettings;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.CompressionResult;
import io.svdwb.engine.compress.method.DecompositionCache;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.compress.method.ModuleOutcome;
import io.svdwb.engine.compress.rankmap.MissingModules;
import io.svdwb.engine.compress.rankmap.RankMap;
import io.svdwb.engine.compress.rankmap.RankMapFormat;
import io.svdwb.engine.compress.rankmap.RankMapReader;
import io.svdwb.engine.compress.rankmap.RankMapSettings;
import io.svdwb.engine.export.ExportFormat;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.safetensors.SafetensorsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An imported rank map as the starting allocation on the demo model: the round trip through our factored export and the
 * importer gives the exported ranks back, every method that takes a map uses its ranks, and the realised ratio is the one
 * worked out by hand from the shapes (§2.2).
 */
class RankMapImportTest {

    private static final CalibrationSettings SMALL = CalibrationSettings.defaults().withSamples(16).withWindowLength(128);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The demo model's [out, in] per projection, written out from its config.json (hidden 64, kv 32, intermediate 172). */
    private static final int[][] SHAPES = {{64, 64}, {32, 64}, {32, 64}, {64, 64}, {172, 64}, {172, 64}, {64, 172}};
    private static final int LAYERS = 5;

    @TempDir
    static Path cache;
    static CompressionContext context;
    static CompressionPipeline pipeline;

    @TempDir
    Path tmp;

    @BeforeAll
    static void open() throws Exception {
        LinearAlgebra linalg = LinearAlgebra.cpu();
        context = new CompressionContext(TestData.demoModel(), TestData.wikiTrainHead(), SMALL,
                new Calibration(new CalibrationCache(cache), linalg), linalg, new DecompositionCache(64L << 20));
        pipeline = new CompressionPipeline(context);
    }

    @AfterAll
    static void close() throws Exception {
        context.close();
    }

    /** Varied ranks 1 + (5 L + 3 i) mod min(m, n); layer 2's q_proj and layer 4's down_proj left out. */
    private static Map<String, Integer> handRanks() {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (int layer = 0; layer < LAYERS; layer++) {
            for (ProjectionKind kind : ProjectionKind.values()) {
                if ((layer == 2 && kind == ProjectionKind.Q) || (layer == 4 && kind == ProjectionKind.DOWN)) {
                    continue;
                }
                int[] s = SHAPES[kind.ordinal()];
                ranks.put(kind.moduleName(layer), 1 + (5 * layer + 3 * kind.ordinal()) % Math.min(s[0], s[1]));
            }
        }
        return ranks;
    }

    /** c_eff = 1 - P_kept / P_orig with k (m + n) per ranked matrix and m n per dense one, from the shapes above. */
    private static double handRatio(Map<String, Integer> ranks) {
        long orig = 0;
        long kept = 0;
        for (int layer = 0; layer < LAYERS; layer++) {
            for (ProjectionKind kind : ProjectionKind.values()) {
                int[] s = SHAPES[kind.ordinal()];
                Integer k = ranks.get(kind.moduleName(layer));
                orig += (long) s[0] * s[1];
                kept += k == null || k == 0 ? (long) s[0] * s[1] : (long) k * (s[0] + s[1]);
            }
        }
        return 1 - (double) kept / orig;
    }

    private Path writeAsvdConfig(Map<String, Integer> ranks) throws Exception {
        Path file = tmp.resolve("asvd-config.json");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architectures", java.util.List.of("ASVDLlamaForCausalLM"));
        config.put("truncation_ranks", ranks);
        Files.writeString(file, JSON.writeValueAsString(config));
        return file;
    }

    private static RankMap read(Path file, RankMapSettings settings) throws Exception {
        return RankMapReader.read(file, settings, context.checkpoint().matrices());
    }

    /** {@code method} at its defaults with the {@code settings} it declares (others are for other methods). */
    private static CompressionRequest request(MethodId method, Map<String, String> settings, RankMap map) {
        return new CompressionRequest(method, 0.4, Selection.all(context.checkpoint().config()), method.defaults().withAll(settings), map);
    }

    private static Map<String, Integer> outcomeRanks(CompressionResult result) {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (ModuleOutcome m : result.modules()) {
            if (!m.dense()) {
                ranks.put(m.module(), m.rank());
            }
        }
        return ranks;
    }

    private static Map<String, Integer> exportedRanks(Path folder) throws Exception {
        JsonNode ranks = JSON.readTree(folder.resolve("config.json").toFile()).get("truncation_ranks");
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = ranks.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asInt());
        }
        return out;
    }

    @Test
    void anExportedAsvdRankMapImportedGivesTheExportedRanksBack() throws Exception {
        Map<String, Integer> hand = handRanks();
        RankMap imported = read(writeAsvdConfig(hand), RankMapSettings.DEFAULTS);
        Path first = tmp.resolve("first");
        PipelineResult a = pipeline.run(PipelineRequest.of(request(MethodId.SVD, Map.of(), imported))
                .exportedTo(new ExportTarget(first, ExportFormat.FACTORED, false, false)), ProgressListener.NONE);
        // the export, read with plain JSON: exactly the hand ranks, the two modules left out absent (dense)
        assertThat(exportedRanks(first)).isEqualTo(hand);

        // import the export folder (its config.json) and compress again by another method: the same ranks come back out
        RankMap reimported = read(first, RankMapSettings.DEFAULTS);
        assertThat(reimported.format()).isEqualTo(RankMapFormat.ASVD);
        assertThat(reimported.ranks()).isEqualTo(hand);
        Path second = tmp.resolve("second");
        PipelineResult b = pipeline.run(PipelineRequest.of(request(MethodId.SVD_LLM, Map.of(), reimported))
                .exportedTo(new ExportTarget(second, ExportFormat.FACTORED, false, false)), ProgressListener.NONE);
        assertThat(exportedRanks(second)).isEqualTo(hand);
        assertThat(outcomeRanks(b.compression())).isEqualTo(hand);
        // the realised ratio from the integer ranks equals the one worked out from the shapes (exact integer sums)
        assertThat(a.compression().selected().effectiveRatio()).isEqualTo(handRatio(hand));
        assertThat(b.compression().selected().effectiveRatio()).isEqualTo(handRatio(hand));
        assertThat(b.compression().details().get("rank_map.ratio")).contains("differs from --ratio 0.4000");
    }

    @Test
    void aMethodsOwnExportImportedBackGivesTheSameCompressedWeights() throws Exception {
        // svd-llm's own uniform ranks, exported, then imported as the allocation of the same method: each W' = A B must come
        // back the same (products compared, not factors: the factor signs are free in general)
        Path own = tmp.resolve("own");
        pipeline.run(PipelineRequest.of(request(MethodId.SVD_LLM, Map.of(), null))
                .exportedTo(new ExportTarget(own, ExportFormat.FACTORED, false, false)), ProgressListener.NONE);
        Path again = tmp.resolve("again");
        PipelineResult b = pipeline.run(PipelineRequest.of(request(MethodId.SVD_LLM, Map.of(), read(own, RankMapSettings.DEFAULTS)))
                .exportedTo(new ExportTarget(again, ExportFormat.FACTORED, false, false)), ProgressListener.NONE);
        Map<String, Integer> ranks = exportedRanks(own);
        assertThat(ranks).hasSize(35);
        assertThat(exportedRanks(again)).isEqualTo(ranks);
        // floor ranks k(0.4) per layer: q, o 19 (128 each), k, v 12 (96), gate, up, down 27 (236): 26284 of 45312 kept
        assertThat(b.compression().details().get("rank_map.ratio")).contains(String.format(java.util.Locale.ROOT, "%.4f realised",
                1 - 26284.0 / 45312));
        try (SafetensorsFile x = SafetensorsFile.open(own.resolve("model.safetensors"));
                SafetensorsFile y = SafetensorsFile.open(again.resolve("model.safetensors"))) {
            for (String module : ranks.keySet()) {
                // the same cached decomposition cut at the same rank: the products agree to the last float bit
                assertThat(product(y, module)).as(module).containsExactly(product(x, module));
            }
        }
    }

    /** A B of a factored module, in double from the stored float32 factors A [m, r] and B [r, n]. */
    private static double[] product(SafetensorsFile file, String module) throws Exception {
        long[] shapeA = file.info(module + ".ALinear.weight").shape();
        long[] shapeB = file.info(module + ".BLinear.weight").shape();
        float[] a = file.readFloats(module + ".ALinear.weight");
        float[] b = file.readFloats(module + ".BLinear.weight");
        int m = (int) shapeA[0];
        int r = (int) shapeA[1];
        int n = (int) shapeB[1];
        double[] w = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int t = 0; t < r; t++) {
                for (int j = 0; j < n; j++) {
                    w[i * n + j] += (double) a[i * r + t] * b[t * n + j];
                }
            }
        }
        return w;
    }

    @Test
    void everyMethodThatTakesAMapUsesItsRanks() throws Exception {
        Map<String, Integer> hand = handRanks();
        RankMap map = read(writeAsvdConfig(hand), RankMapSettings.DEFAULTS);
        Map<String, String> noColumns = Map.of("duo-columns", "off");
        for (MethodId method : new MethodId[] {MethodId.SVD, MethodId.FWSVD, MethodId.ASVD, MethodId.SVD_LLM, MethodId.DUO_SVD,
                MethodId.RESSVD}) {
            // asvd with its default rank search on: the map replaces the search; ressvd's rank is r1 + r2
            CompressionResult r = pipeline.run(PipelineRequest.of(request(method, noColumns, map)), ProgressListener.NONE).compression();
            assertThat(outcomeRanks(r)).as(method.cliName()).isEqualTo(hand);
            assertThat(r.selected().effectiveRatio()).as(method.cliName()).isEqualTo(handRatio(hand));
        }
        // Duo-SVD with columns: each module's stored count stays within its imported budget k (m + n), kc <= k
        CompressionResult duo = pipeline.run(PipelineRequest.of(request(MethodId.DUO_SVD, Map.of(), map)),
                ProgressListener.NONE).compression();
        for (ModuleOutcome m : duo.modules()) {
            Integer k = hand.get(m.module());
            if (k == null) {
                assertThat(m.dense()).as(m.module()).isTrue();
            } else {
                assertThat(m.stored()).as(m.module()).isLessThanOrEqualTo((long) k * (m.matrix().rows() + m.matrix().cols()));
                assertThat(m.rank()).as(m.module()).isLessThanOrEqualTo(k);
            }
        }
    }

    @Test
    void missingModulesGetTheUniformRankWhenAskedAndUnselectedOnesStayDense() throws Exception {
        RankMap map = read(writeAsvdConfig(Map.of("model.layers.0.self_attn.q_proj", 5, "model.layers.1.mlp.up_proj", 9)),
                RankMapSettings.DEFAULTS.withMissing(MissingModules.METHOD));
        Selection withoutL1Up = Selection.parse(null, null, "1.up", context.checkpoint().config());
        CompressionResult r = pipeline.run(PipelineRequest.of(new CompressionRequest(MethodId.SVD, 0.4, withoutL1Up,
                MethodId.SVD.defaults(), map)), ProgressListener.NONE).compression();
        Map<String, Integer> ranks = outcomeRanks(r);
        assertThat(ranks.get("model.layers.0.self_attn.q_proj")).isEqualTo(5);
        assertThat(ranks).doesNotContainKey("model.layers.1.mlp.up_proj");   // outside the selection: dense
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("1 modules of the rank map are outside the selection"));
        // the rest at k(0.4) = floor(0.6 m n / (m + n)): 64 x 64 -> 19, 32 x 64 -> 12, 172 x 64 -> 27
        assertThat(ranks.get("model.layers.3.self_attn.q_proj")).isEqualTo(19);
        assertThat(ranks.get("model.layers.3.self_attn.v_proj")).isEqualTo(12);
        assertThat(ranks.get("model.layers.3.mlp.down_proj")).isEqualTo(27);
    }

    @Test
    void socoRefusesARankMapBeforeAnyWork() throws Exception {
        RankMap map = read(writeAsvdConfig(handRanks()), RankMapSettings.DEFAULTS);
        assertThatThrownBy(() -> request(MethodId.SOCO, Map.of(), map)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot seed soco");
    }
}
