package io.svdwb.engine.export;

import static io.svdwb.engine.export.ExportFixtures.LA;
import static io.svdwb.engine.export.ExportFixtures.RANK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.LowRankLinear;
import io.svdwb.engine.model.ModelConfigException;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.model.TextTokenizer;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.safetensors.SafetensorsFile;
import io.svdwb.engine.tensor.NdArrays;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ASVD-style factored export: what is in the folder, and reloading it as a low-rank model. */
class FactoredExportTest extends DemoModelExportTestBase {

    private static final int[][] TOKENS = {{1, 410, 13, 410, 64, 410, 461, 414, 430, 285, 413, 368}};
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path out;
    private ExportResult result;

    @BeforeEach
    void export() throws Exception {
        out = tmp.resolve("factored");
        result = new CheckpointExporter(LA).export(
                ExportFixtures.request(source, replacements, ExportFormat.FACTORED, false), out, ProgressListener.NONE);
    }

    @Test
    void theReloadedModelRunsLowRankProjectionsAndGivesTheInMemoryLogits() throws Exception {
        float[] inMemory = ExportFixtures.withReplacements(source, replacements).forward(TOKENS);
        try (Checkpoint exported = FactoredCheckpoint.open(out)) {
            LlamaModel model = FactoredCheckpoint.model(exported, LA, LlamaModel.Residency.KEEP);
            assertThat(model.layer(3).projection(ProjectionKind.DOWN)).isInstanceOf(LowRankLinear.class);
            assertThat(((LowRankLinear) model.layer(2).projection(ProjectionKind.K)).rank()).isEqualTo(RANK);
            // same F32 factors, same two products in the same order: bit-identical logits
            assertThat(model.forward(TOKENS)).containsExactly(inMemory);
        }
    }

    @Test
    void factorsReadBackBitForBitWithTheAsvdNamesAndShapes() throws Exception {
        try (SafetensorsFile file = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            for (Map.Entry<String, Linear> e : replacements.entrySet()) {
                LowRankLinear lowRank = (LowRankLinear) e.getValue();
                long[] shape = ExportFixtures.SHAPES.get(e.getKey());
                assertThat(file.info(e.getKey() + ".ALinear.weight").shape()).containsExactly(shape[0], RANK);
                assertThat(file.info(e.getKey() + ".BLinear.weight").shape()).containsExactly(RANK, shape[1]);
                assertThat(file.readFloats(e.getKey() + ".ALinear.weight")).containsExactly(NdArrays.toFloats(lowRank.a()));
                assertThat(file.readFloats(e.getKey() + ".BLinear.weight")).containsExactly(NdArrays.toFloats(lowRank.b()));
                assertThat(file.contains(e.getKey() + ".weight")).isFalse();
            }
        }
    }

    @Test
    void theParameterCountIsTheFactorsPlusTheUntouchedTensors() throws Exception {
        // independent of the exporter's accounting: shapes written out by hand, r (m + n) per factored matrix
        long removed = 0;
        long factors = 0;
        for (long[] shape : ExportFixtures.SHAPES.values()) {
            removed += shape[0] * shape[1];
            factors += RANK * (shape[0] + shape[1]);
        }
        long expected = source.totalParameters() - removed + factors;
        assertThat(result.parameters()).isEqualTo(expected);
        try (SafetensorsFile file = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            long inFile = 0;
            for (String name : file.names()) {
                // the demo ties lm_head to the embedding but stores a copy: Hugging Face counts it once
                if (!name.equals(Checkpoint.LM_HEAD)) {
                    inFile += file.info(name).elementCount();
                }
            }
            assertThat(inFile).isEqualTo(expected);
        }
    }

    @Test
    void ranksAreInConfigRankMapMetadataAndManifest() throws Exception {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (String module : replacements.keySet()) {
            ranks.put(module, RANK);
        }
        ObjectNode config = (ObjectNode) JSON.readTree(out.resolve("config.json").toFile());
        assertThat(JSON.convertValue(config.get("truncation_ranks"), Map.class)).isEqualTo(ranks);
        ObjectNode sourceConfig = (ObjectNode) JSON.readTree(source.dir().resolve("config.json").toFile());
        config.remove("truncation_ranks");
        config.remove("auto_map");   // checked in carriesTheTransformersRemoteCodeAndNamesItInAutoMap
        assertThat(config).isEqualTo(sourceConfig);   // nothing else changed
        assertThat(JSON.readValue(out.resolve("rank_map.json").toFile(), Map.class)).isEqualTo(ranks);
        try (SafetensorsFile file = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            assertThat(file.metadata()).containsEntry("format", "pt").containsEntry("svd.format", "factored");
            assertThat(JSON.readValue(file.metadata().get("svd.ranks"), Map.class)).isEqualTo(ranks);
            assertThat(Manifest.fromJson(file.metadata().get("svd.manifest")).ranks()).isEqualTo(ranks);
        }
        Manifest manifest = Manifest.fromJson(Files.readString(out.resolve("manifest.json")));
        assertThat(manifest).isEqualTo(Manifest.describe(ExportFixtures.RUN, source, replacements).withFormat(ExportFormat.FACTORED));
        assertThat(manifest.layers()).containsExactly(1, 2, 3);
        assertThat(manifest.modules()).containsExactly("q", "k", "gate", "down");
        // docs/METHODS.md §2.2 by hand: P_orig = 5 layers x (2·64·64 + 2·32·64 + 3·172·64) = 226560; the four
        // replaced matrices hold 28160 numbers, their rank-8 factors 8 · (128 + 96 + 236 + 236) = 5568
        assertThat(manifest.achievedRatioCompressible()).isCloseTo((28160 - 5568) / 226560.0, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(manifest.achievedRatioModel()).isCloseTo((28160 - 5568) / (double) source.totalParameters(),
                org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void untouchedTensorsAreBitIdenticalToTheSource() throws Exception {
        try (SafetensorsFile file = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            for (String name : source.store().names()) {
                if (!replacements.containsKey(name.substring(0, name.lastIndexOf('.')))) {
                    assertThat(file.readRaw(name)).as(name).isEqualTo(source.store().readRaw(name));
                }
            }
        }
    }

    @Test
    void onlyTheTokenizerFilesAreCopiedFromTheSource() throws Exception {
        for (String name : List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.model")) {
            assertThat(Files.mismatch(out.resolve(name), source.dir().resolve(name))).as(name).isEqualTo(-1);
        }
        // the source's reference perplexities, reference logits and provenance describe the uncompressed model
        try (var files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).containsExactly("config.json", "manifest.json",
                    "model.safetensors", "modeling_svdwb.py", "rank_map.json", "special_tokens_map.json", "tokenizer.json", "tokenizer.model",
                    "tokenizer_config.json");
        }
        try (TextTokenizer exported = TextTokenizer.open(out); TextTokenizer original = TextTokenizer.open(source.dir())) {
            String text = "Once upon a time there was a little dog.";
            assertThat(exported.encode(text)).containsExactly(original.encode(text));
        }
    }

    @Test
    void carriesTheTransformersRemoteCodeAndNamesItInAutoMap() throws Exception {
        // a llama export: AutoModelForCausalLM.from_pretrained(out, trust_remote_code=True) builds SvdwbLlamaForCausalLM
        var config = JSON.readTree(out.resolve("config.json").toFile());
        assertThat(config.get("model_type").asText()).isEqualTo("llama");
        assertThat(config.get("auto_map").get("AutoModelForCausalLM").asText()).isEqualTo("modeling_svdwb.SvdwbLlamaForCausalLM");
        assertThat(config.get("auto_map").size()).isEqualTo(1);
        byte[] modeling = Files.readAllBytes(out.resolve(CheckpointExporter.MODELING_FILE));
        assertThat(modeling).isEqualTo(CheckpointExporter.modelingFile());
        String code = new String(modeling, java.nio.charset.StandardCharsets.UTF_8);
        // every class auto_map can name is defined by the file, and the parameter names are the stored tensor names
        for (String cls : CheckpointExporter.REMOTE_CODE_CLASSES.values()) {
            assertThat(code).contains("\"" + cls.substring("Svdwb".length()) + "\"");
        }
        assertThat(code).contains("self.BLinear = nn.Linear(").contains("self.ALinear = nn.Linear(").contains("self.CLinear = nn.Linear(")
                .contains("\"" + FactoredCheckpoint.RANKS_KEY + "\"").contains("\"" + FactoredCheckpoint.KEPT_COLUMNS_KEY + "\"");
    }

    @Test
    void everyFamilyTheEngineReadsHasARemoteCodeClass() throws Exception {
        // a factored export of any supported model_type names a class that modeling_svdwb.py defines
        assertThat(CheckpointExporter.REMOTE_CODE_CLASSES.keySet()).containsExactlyInAnyOrderElementsOf(
                io.svdwb.engine.model.ModelConfig.SUPPORTED_TYPES);
        String code = new String(CheckpointExporter.modelingFile(), java.nio.charset.StandardCharsets.UTF_8);
        for (Map.Entry<String, String> e : CheckpointExporter.REMOTE_CODE_CLASSES.entrySet()) {
            // _FAMILIES = {"qwen3": "Qwen3ForCausalLM", ...}; the class is "Svdwb" + that name
            assertThat(code).contains("\"" + e.getKey() + "\": \"" + e.getValue().substring("Svdwb".length()) + "\"");
        }
    }

    @Test
    void theManifestNamesTheSourceModelAndItsProvenance() throws Exception {
        var manifest = JSON.readTree(out.resolve("manifest.json").toFile());
        Path sourceDir = io.svdwb.engine.TestData.demoModel().toAbsolutePath().normalize();
        assertThat(manifest.get("source_model").asText()).isEqualTo(sourceDir.toString());
        assertThat(manifest.get("source_provenance").asText()).isEqualTo(sourceDir.resolve("PROVENANCE.md").toString());
    }

    @Test
    void thePlainOpenerStillRefusesTheFactorsAsUnexpected() {
        assertThatThrownBy(() -> Checkpoint.open(out)).isInstanceOf(ModelConfigException.class)
                .hasMessageContaining("missing tensor model.layers.1.self_attn.q_proj.weight")
                .hasMessageContaining("unexpected tensors").hasMessageContaining("ALinear.weight");
    }

    @Test
    void aRankThatDoesNotMatchTheFactorsIsAClearError() throws Exception {
        editRanks(r -> r.put("model.layers.1.self_attn.q_proj", RANK + 1));
        assertThatThrownBy(() -> FactoredCheckpoint.open(out)).isInstanceOf(ModelConfigException.class)
                .hasMessageContaining("size mismatch for model.layers.1.self_attn.q_proj.ALinear.weight")
                .hasMessageContaining("[64, 8]").hasMessageContaining("[64, 9]");
    }

    @Test
    void aRankForAModuleThatDoesNotExistIsAClearError() throws Exception {
        editRanks(r -> r.put("model.layers.7.self_attn.q_proj", RANK));
        assertThatThrownBy(() -> FactoredCheckpoint.open(out)).isInstanceOf(ModelConfigException.class)
                .hasMessageContaining("'model.layers.7.self_attn.q_proj' is not a projection of this model");
    }

    @Test
    void aModuleMissingFromTheRanksLeavesItsFactorsUnexpected() throws Exception {
        editRanks(r -> r.remove("model.layers.3.mlp.down_proj"));
        assertThatThrownBy(() -> FactoredCheckpoint.open(out)).isInstanceOf(ModelConfigException.class)
                .hasMessageContaining("missing tensor model.layers.3.mlp.down_proj.weight")
                .hasMessageContaining("model.layers.3.mlp.down_proj.BLinear.weight");
    }

    @Test
    void aNonIntegerRankIsAClearError() throws Exception {
        editRanks(r -> r.put("model.layers.1.self_attn.q_proj", "eight"));
        assertThatThrownBy(() -> FactoredCheckpoint.open(out)).isInstanceOf(ModelConfigException.class)
                .hasMessageContaining("truncation_ranks.model.layers.1.self_attn.q_proj must be a positive integer");
    }

    private void editRanks(java.util.function.Consumer<ObjectNode> edit) throws Exception {
        Path config = out.resolve("config.json");
        ObjectNode root = (ObjectNode) JSON.readTree(config.toFile());
        edit.accept((ObjectNode) root.get("truncation_ranks"));
        Files.writeString(config, JSON.writeValueAsString(root));
    }
}
