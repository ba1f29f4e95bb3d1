package io.svdwb.engine.compress.rankmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ProjectionKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each peer format read from a small hand-written fixture laid out as the peer's code writes it, to ranks worked out by
 * hand from the peer's own rule; format detection; and bad files refused with errors that name the problem. The model is
 * two layers of the demo model's shapes, written out here (hidden 64, 4 kv heads x 8 = 32, intermediate 172), not read
 * from its config.
 */
class RankMapReaderTest {

    private static final String Q0 = "model.layers.0.self_attn.q_proj";
    private static final String K0 = "model.layers.0.self_attn.k_proj";
    private static final String V0 = "model.layers.0.self_attn.v_proj";
    private static final String K1 = "model.layers.1.self_attn.k_proj";
    private static final String V1 = "model.layers.1.self_attn.v_proj";
    private static final String GATE1 = "model.layers.1.mlp.gate_proj";
    private static final String DOWN1 = "model.layers.1.mlp.down_proj";

    @TempDir
    Path tmp;

    /** Two decoder layers with the demo model's shapes, [out, in]. */
    static List<MatrixSpec> twoLayers() {
        int[][] shapes = {{64, 64}, {32, 64}, {32, 64}, {64, 64}, {172, 64}, {172, 64}, {64, 172}};
        List<MatrixSpec> specs = new ArrayList<>();
        for (int layer = 0; layer < 2; layer++) {
            for (ProjectionKind kind : ProjectionKind.values()) {
                int[] s = shapes[kind.ordinal()];
                specs.add(new MatrixSpec(layer, kind, kind.weightName(layer), s[0], s[1]));
            }
        }
        return specs;
    }

    private RankMap read(String json, RankMapSettings settings) throws Exception {
        Path file = tmp.resolve("map.json");
        Files.writeString(file, json);
        return RankMapReader.read(file, settings, twoLayers());
    }

    private RankMap read(String json) throws Exception {
        return read(json, RankMapSettings.DEFAULTS);
    }

    @Test
    void asvdConfigJsonGivesItsTruncationRanksInModelOrder() throws Exception {
        // as huggingface_repos/build_asvd_repo.py (hahnyuan/ASVD4LLM) writes it: the model config plus
        // truncation_ranks {named_modules name: SVDLinear.truncation_rank = S.size(0)}; lm_head is a Linear its search may rank
        RankMap map = read("""
                {"architectures": ["ASVDLlamaForCausalLM"], "model_type": "llama", "hidden_size": 64,
                 "truncation_ranks": {"model.layers.1.mlp.down_proj": 40, "model.layers.0.self_attn.q_proj": 12,
                                      "model.layers.0.self_attn.k_proj": 32, "lm_head": 30}}""");
        assertThat(map.format()).isEqualTo(RankMapFormat.ASVD);
        assertThat(map.ranks()).containsExactly(Map.entry(Q0, 12), Map.entry(K0, 32), Map.entry(DOWN1, 40));
        assertThat(map.notes()).anySatisfy(n -> assertThat(n).contains("lm_head").contains("stays dense"));
    }

    @Test
    void paluHeadWiseRanksImportAsTheSumOfTheGroupRanks() throws Exception {
        // as utils.py dump_to_huggingface_repos (shadowpa0327/Palu) writes it: head_wise_ranks {name: HeadwiseLowRankModule.ranks},
        // k_proj / v_proj only; 2 groups of 16 rows each (2 of the 4 kv heads of 8 dims) for layer 0, 4 groups of 8 rows for layer 1
        RankMap map = read("""
                {"model_type": "palullama", "head_wise_ranks": {
                  "model.layers.0.self_attn.k_proj": [8, 4], "model.layers.0.self_attn.v_proj": [16, 16],
                  "model.layers.1.self_attn.k_proj": [2, 3, 4, 5], "model.layers.1.self_attn.v_proj": [1, 1, 1, 1]}}""");
        assertThat(map.format()).isEqualTo(RankMapFormat.PALU);
        assertThat(map.ranks()).containsExactly(Map.entry(K0, 12), Map.entry(V0, 32), Map.entry(K1, 14), Map.entry(V1, 4));
    }

    @Test
    void dobiKDictScalesTheTruncationPositionBySequenceLength() throws Exception {
        // as svd_trainer.py (wangqinsi1/Dobi-SVD) writes k_dict_NNNNN.json: {SVDTransformLayer name: gamma.item()} and the
        // run's ppl list, compression_ratio and lr. With L = 32: rank = floor(min(m, n) ceil(k) / L) (weight_updater.py,
        // no remapping: int(cut ceil(k)), cut = min(m, n) / L)
        String json = """
                {"model.layers.0.self_attn.q_proj": 10.2, "model.layers.0.self_attn.k_proj": 10.2,
                 "model.layers.1.mlp.gate_proj": 3.0, "model.layers.1.mlp.down_proj": 31.999,
                 "ppl": [24.5, 31.4], "compression_ratio": 0.398, "lr": 4.05}""";
        RankMap map = read(json, RankMapSettings.DEFAULTS.withDobiSequenceLength(32));
        assertThat(map.format()).isEqualTo(RankMapFormat.DOBI);
        // q: 64 * 11 / 32 = 22; k (32 x 64): 32 * 11 / 32 = 11; gate: 64 * 3 / 32 = 6; down: 64 * 32 / 32 = 64
        assertThat(map.ranks()).containsExactly(Map.entry(Q0, 22), Map.entry(K0, 11), Map.entry(GATE1, 6), Map.entry(DOWN1, 64));
        assertThat(map.notes()).anySatisfy(n -> assertThat(n).contains("ppl").contains("compression_ratio").contains("lr"));
    }

    @Test
    void dobiSequenceLengthComesFromParaConfigBesideTheFile() throws Exception {
        // svd_trainer.py writes para_config.json with dataset_processing.SEQ_LEN next to the k_dict files
        Files.writeString(tmp.resolve("para_config.json"), """
                {"model_id": "stories260K", "target_compression_ratio": 0.4, "dataset_processing": {"SEQ_LEN": 64}}""");
        RankMap map = read("""
                {"model.layers.0.self_attn.q_proj": 10.2, "ppl": 20.0}""");
        assertThat(map.ranks()).containsExactly(Map.entry(Q0, 11));   // 64 * 11 / 64
        assertThat(map.notes()).anySatisfy(n -> assertThat(n).contains("L = 64 from"));
    }

    @Test
    void dobiRankReproducesTheReleasedLlama2Run() {
        // results/training_output/Llama-2-7b-hf/Diff-Noremapping-0.4_wikitext2_2048/k_dict_00056.json, layer 0, L = 2048:
        // q_proj 4096 x 4096 k = 403.63983154296875 -> cut = 2, 2 * ceil(k) = 808; gate_proj 11008 x 4096 k = 616.171630859375 -> 1234
        assertThat(DobiRanks.rank(4096, 4096, 403.63983154296875, 2048)).isEqualTo(808);
        assertThat(DobiRanks.rank(11008, 4096, 616.171630859375, 2048)).isEqualTo(1234);
        // and the trainer's accounting of the same ranks keeps ~0.4 of the parameters, as the file's compression_ratio says
        double keptQ = 808.0 * (4096 + 4096) / (4096.0 * 4096);
        double keptGate = 1234.0 * (11008 + 4096) / (11008.0 * 4096);
        assertThat(keptQ).isBetween(0.39, 0.41);
        assertThat(keptGate).isBetween(0.40, 0.42);
    }

    @Test
    void theFormatIsDetectedFromTheContentAndCanBeForced() throws Exception {
        assertThat(RankMapReader.detect(json("{\"truncation_ranks\": {}}"), "f")).isEqualTo(RankMapFormat.ASVD);
        assertThat(RankMapReader.detect(json("{\"head_wise_ranks\": {}}"), "f")).isEqualTo(RankMapFormat.PALU);
        assertThat(RankMapReader.detect(json("{\"" + Q0 + "\": 12}"), "f")).isEqualTo(RankMapFormat.ASVD);
        assertThat(RankMapReader.detect(json("{\"" + K0 + "\": [4, 4]}"), "f")).isEqualTo(RankMapFormat.PALU);
        // Python's json.dump writes the float k = 12 as 12.0
        assertThat(RankMapReader.detect(json("{\"" + Q0 + "\": 12.0}"), "f")).isEqualTo(RankMapFormat.DOBI);
        assertThat(RankMapReader.detect(json("{\"" + Q0 + "\": 12, \"compression_ratio\": 0.4}"), "f")).isEqualTo(RankMapFormat.DOBI);
        // an integer map read as Dobi-SVD on request: k = 12 with L = 64 gives 64 * 12 / 64
        assertThat(read("{\"" + Q0 + "\": 12}", new RankMapSettings(RankMapFormat.DOBI, MissingModules.DENSE, 64)).ranks())
                .containsExactly(Map.entry(Q0, 12));
    }

    @Test
    void missingModulesStayDenseOrGetTheUniformRank() throws Exception {
        MatrixSpec q0 = twoLayers().get(0);
        MatrixSpec k1 = twoLayers().get(8);
        MatrixSpec gate1 = twoLayers().get(11);
        RankMap dense = read("{\"" + Q0 + "\": 12}");
        assertThat(dense.rankFor(q0, 0.4)).isEqualTo(12);
        assertThat(dense.rankFor(k1, 0.4)).isZero();
        RankMap method = read("{\"" + Q0 + "\": 12}", RankMapSettings.DEFAULTS.withMissing(MissingModules.METHOD));
        // k(rho) = floor(0.6 m n / (m + n)): 32 x 64 -> floor(12.8) = 12; 172 x 64 -> floor(27.98) = 27
        assertThat(method.rankFor(k1, 0.4)).isEqualTo(12);
        assertThat(method.rankFor(gate1, 0.4)).isEqualTo(27);
        assertThat(method.uncovered(twoLayers())).hasSize(13);
    }

    @Test
    void badFilesAreRefusedWithTheProblemNamed() {
        assertError("{\"truncation_ranks\": {\"" + Q0 + "\": 12,", "malformed JSON", "line");
        assertError("[1, 2]", "must be a JSON object");
        assertError("{}", "empty object");
        assertError("{\"truncation_ranks\": {\"model.layers.7.self_attn.q_proj\": 12}}", "unknown module 'model.layers.7.self_attn.q_proj'",
                "0..1");
        assertError("{\"truncation_ranks\": {\"model.layers.0.attn.q\": 12}}", "unknown module 'model.layers.0.attn.q'");
        assertError("{\"truncation_ranks\": {\"" + Q0 + "\": 0}}", "rank 0 of " + Q0, "outside [1, 64]");
        assertError("{\"truncation_ranks\": {\"" + K0 + "\": 33}}", "rank 33 of " + K0, "outside [1, 32]", "32 x 64");
        assertError("{\"truncation_ranks\": {\"" + Q0 + "\": \"12\"}}", "truncation_ranks." + Q0 + " must be an integer rank");
        assertError("{\"truncation_ranks\": {\"" + Q0 + "\": 12.5}}", "must be an integer rank", "12.5");
        assertError("{\"truncation_ranks\": []}", "truncation_ranks must be an object");
        assertError("{\"head_wise_ranks\": {\"" + K0 + "\": [4, 4, 4]}}", K0, "3 head groups do not divide the 32 output rows");
        assertError("{\"head_wise_ranks\": {\"" + K0 + "\": [17, 4]}}", K0, "group 0 rank 17 is outside [1, 16]");
        assertError("{\"head_wise_ranks\": {\"" + K0 + "\": 8}}", "head_wise_ranks." + K0 + " must be a non-empty array");
        assertError("{\"" + K0 + "\": \"x\", \"" + Q0 + "\": 1.5}", K0, "must be a number (the truncation position k)");
        assertError("{\"" + Q0 + "\": 0.0, \"ppl\": 3.0}", "rank 0 of " + Q0, "k = 0.0, L = 2048");
        assertError("{\"truncation_ranks\": {\"" + Q0 + "\": 2}, \"head_wise_ranks\": {}}", "both", "--rank-map-format");
        assertError("{\"" + Q0 + "\": \"twelve\"}", "cannot tell the rank-map format", "--rank-map-format asvd|palu|dobi");
        assertError("{\"truncation_ranks\": {\"lm_head\": 30}}", "names no compressible matrix");
        assertThatThrownBy(() -> RankMapReader.read(tmp.resolve("absent.json"), RankMapSettings.DEFAULTS, twoLayers()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absent.json: rank-map file not found");
        assertThatThrownBy(() -> RankMapFormat.parse("svd-llm")).hasMessageContaining("choose auto, asvd, palu, dobi");
        assertThatThrownBy(() -> MissingModules.parse("zero")).hasMessageContaining("choose dense or method");
    }

    private void assertError(String json, String... fragments) {
        assertThatThrownBy(() -> read(json)).as(json).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll(fragments).hasMessageContaining("map.json");
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    }
}
