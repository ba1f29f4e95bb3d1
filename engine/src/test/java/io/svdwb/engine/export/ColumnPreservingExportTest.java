package io.svdwb.engine.export;

import static io.svdwb.engine.export.ExportFixtures.LA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.ColumnPreservingLinear;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.LowRankLinear;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.safetensors.SafetensorsFile;
import io.svdwb.engine.tensor.NdArrays;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Export and reload of column-preserving (Duo-SVD) modules, beside the rank-8 low-rank ones: up_proj of layer 4
 * (172 x 64) keeps 4 input columns at kc = 8, down_proj of layer 0 (64 x 172) keeps 6 at kc = 5.
 */
class ColumnPreservingExportTest extends DemoModelExportTestBase {

    static final String UP = ProjectionKind.UP.moduleName(4);
    static final String DOWN = ProjectionKind.DOWN.moduleName(0);
    static final int[] UP_KEPT = {0, 7, 31, 63};
    static final int[] DOWN_KEPT = {2, 3, 50, 99, 150, 171};
    private static final int[][] TOKENS = {{1, 410, 13, 410, 64, 410, 461, 414, 430, 285, 413, 368}};
    private static final ObjectMapper JSON = new ObjectMapper();

    static Map<String, Linear> mixed;

    @BeforeAll
    static void addColumnPreservingModules() throws Exception {
        mixed = new LinkedHashMap<>(replacements);
        mixed.put(UP, ExportFixtures.columnPreserving(source, 4, ProjectionKind.UP, UP_KEPT, 8));
        mixed.put(DOWN, ExportFixtures.columnPreserving(source, 0, ProjectionKind.DOWN, DOWN_KEPT, 5));
    }

    private Path export(ExportFormat format) throws Exception {
        Path out = tmp.resolve(format.id());
        new CheckpointExporter(LA).export(ExportFixtures.request(source, mixed, format, false), out, ProgressListener.NONE);
        return out;
    }

    @Test
    void theFactoredReloadRunsColumnPreservingModulesAndGivesTheInMemoryLogits() throws Exception {
        Path out = export(ExportFormat.FACTORED);
        float[] inMemory = ExportFixtures.withReplacements(source, mixed).forward(TOKENS);
        float[] original = new LlamaModel(source, LA, LlamaModel.Residency.KEEP).forward(TOKENS);
        try (Checkpoint exported = FactoredCheckpoint.open(out)) {
            LlamaModel model = FactoredCheckpoint.model(exported, LA, LlamaModel.Residency.KEEP);
            ColumnPreservingLinear up = (ColumnPreservingLinear) model.layer(4).projection(ProjectionKind.UP);
            assertThat(up.keptColumns()).containsExactly(UP_KEPT);
            assertThat(up.rank()).isEqualTo(8);
            assertThat(((ColumnPreservingLinear) model.layer(0).projection(ProjectionKind.DOWN)).keptColumns()).containsExactly(DOWN_KEPT);
            assertThat(model.layer(1).projection(ProjectionKind.Q)).isInstanceOf(LowRankLinear.class);
            // the same F32 arrays run through the same code in the same order: bit-identical logits
            assertThat(model.forward(TOKENS)).containsExactly(inMemory);
            assertThat(inMemory).isNotEqualTo(original);
        }
    }

    /**
     * The dense file holds W' multiplied out and scattered, in F32; the in-memory module computes A(B x[R]) + C x[C].
     * Same sums in another order: float32 reassociation ~1e-7 relative per product (sums of at most 172 terms),
     * carried through 5 small layers to logits of magnitude < 20, far below the 1e-4 absolute used by
     * DenseExportTest for the same model. A misplaced column moves logits by whole units.
     */
    @Test
    void theDenseExportHoldsTheDenseEquivalent() throws Exception {
        Path out = export(ExportFormat.DENSE);
        float[] inMemory = ExportFixtures.withReplacements(source, mixed).forward(TOKENS);
        try (Checkpoint exported = Checkpoint.open(out)) {
            assertThat(exported.totalParameters()).isEqualTo(source.totalParameters());
            ColumnPreservingLinear up = (ColumnPreservingLinear) mixed.get(UP);
            assertThat(exported.store().readFloats(UP + ".weight")).containsExactly(NdArrays.toFloats(up.denseWeight()));
            float[] reloaded = new LlamaModel(exported, LA, LlamaModel.Residency.KEEP).forward(TOKENS);
            float max = 0;
            for (int i = 0; i < reloaded.length; i++) {
                max = Math.max(max, Math.abs(reloaded[i] - inMemory[i]));
            }
            assertThat(max).isLessThan(1e-4f);
        }
    }

    @Test
    void theFileHoldsBACWithTheirShapesAndTheConfigAndMetadataListTheKeptColumns() throws Exception {
        Path out = export(ExportFormat.FACTORED);
        ColumnPreservingLinear up = (ColumnPreservingLinear) mixed.get(UP);
        try (SafetensorsFile file = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            assertThat(file.info(UP + ".BLinear.weight").shape()).containsExactly(8, 64 - 4);
            assertThat(file.info(UP + ".ALinear.weight").shape()).containsExactly(172, 8);
            assertThat(file.info(UP + ".CLinear.weight").shape()).containsExactly(172, 4);
            assertThat(file.info(DOWN + ".CLinear.weight").shape()).containsExactly(64, 6);
            assertThat(file.info(DOWN + ".BLinear.weight").shape()).containsExactly(5, 172 - 6);
            assertThat(file.readFloats(UP + ".CLinear.weight")).containsExactly(NdArrays.toFloats(up.c()));
            assertThat(file.readFloats(UP + ".BLinear.weight")).containsExactly(NdArrays.toFloats(up.b()));
            assertThat(file.contains(UP + ".weight")).isFalse();
            Map<String, List<Integer>> metadata = JSON.readValue(file.metadata().get("svd.kept_columns"), new TypeReference<>() { });
            assertThat(metadata).containsOnlyKeys(DOWN, UP);
            assertThat(metadata.get(UP)).containsExactly(0, 7, 31, 63);
            assertThat(JSON.readValue(file.metadata().get("svd.ranks"), Map.class)).containsEntry(UP, 8).containsEntry(DOWN, 5);
        }
        ObjectNode config = (ObjectNode) JSON.readTree(out.resolve("config.json").toFile());
        Map<String, List<Integer>> kept = JSON.convertValue(config.get("column_preserving_kept_columns"), new TypeReference<>() { });
        assertThat(kept).containsOnlyKeys(DOWN, UP);
        assertThat(kept.get(DOWN)).containsExactly(2, 3, 50, 99, 150, 171);
        assertThat(config.get("truncation_ranks").get(UP).asInt()).isEqualTo(8);
        Manifest manifest = Manifest.fromJson(Files.readString(out.resolve("manifest.json")));
        assertThat(manifest.keptColumnCounts()).containsOnly(Map.entry(DOWN, 6), Map.entry(UP, 4));
        assertThat(manifest.ranks()).containsEntry(UP, 8).containsEntry(DOWN, 5).hasSize(6);
    }

    /** docs/METHODS.md §2.4 by hand: kc (m + n - q) + m q per column-preserving module, r (m + n) per low-rank one. */
    @Test
    void theParameterCountReadBackIsTheAccounting() throws Exception {
        Path out = export(ExportFormat.FACTORED);
        long upStored = 8L * (172 + 64 - 4) + 172L * 4;
        long downStored = 5L * (64 + 172 - 6) + 64L * 6;
        long lowRankStored = 8L * (128 + 96 + 236 + 236);
        long replacedDense = 64 * 64 + 32 * 64 + 172 * 64 + 64 * 172 + 172 * 64 + 64 * 172;
        long expected = source.totalParameters() - replacedDense + upStored + downStored + lowRankStored;
        CompressionAccounting accounting = CompressionAccounting.of(source, mixed);
        assertThat(mixed.get(UP).storedWeightParameters()).isEqualTo(upStored);
        assertThat(accounting.originalParameters() - accounting.keptParameters())
                .isEqualTo(replacedDense - upStored - downStored - lowRankStored);
        try (Checkpoint exported = FactoredCheckpoint.open(out)) {
            assertThat(exported.totalParameters()).isEqualTo(expected);
        }
        Manifest manifest = Manifest.fromJson(Files.readString(out.resolve("manifest.json")));
        assertThat(manifest.achievedRatioCompressible()).isCloseTo(
                (replacedDense - upStored - downStored - lowRankStored) / 226560.0, org.assertj.core.api.Assertions.within(1e-12));
    }
}
