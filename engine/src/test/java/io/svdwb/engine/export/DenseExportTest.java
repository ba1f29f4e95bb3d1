package io.svdwb.engine.export;

import static io.svdwb.engine.export.ExportFixtures.LA;
import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.safetensors.DType;
import io.svdwb.engine.safetensors.SafetensorsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The dense-merged export (W' = A·B multiplied out) is a plain Hugging Face checkpoint of the original
 * architecture that computes what the in-memory compressed model computes.
 */
class DenseExportTest extends DemoModelExportTestBase {

    private static final int[][] TOKENS = {{1, 410, 13, 410, 64, 410, 461, 414, 430, 285, 413, 368}};

    @Test
    void theExportOpensAsAPlainCheckpointWithTheSourcesParameterCount() throws Exception {
        Path out = tmp.resolve("dense");
        ExportResult result = new CheckpointExporter(LA).export(
                ExportFixtures.request(source, replacements, ExportFormat.DENSE, false), out, ProgressListener.NONE);

        try (Checkpoint exported = Checkpoint.open(out)) {   // refuses unexpected or missing tensors
            assertThat(exported.totalParameters()).isEqualTo(source.totalParameters()).isEqualTo(result.parameters());
            assertThat(exported.store().names()).containsExactlyElementsOf(source.store().names());
            assertThat(exported.store().info("model.layers.3.mlp.down_proj.weight").dtype()).isEqualTo(DType.F32);
        }
        assertThat(Files.mismatch(out.resolve("config.json"), source.dir().resolve("config.json"))).isEqualTo(-1);
        assertThat(out.resolve(CheckpointExporter.RANK_MAP)).exists();
        assertThat(out.resolve(CheckpointExporter.MANIFEST)).exists();
        try (SafetensorsFile file = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            assertThat(file.metadata()).containsEntry("format", "pt").containsEntry("svd.format", "dense");
        }
    }

    /**
     * The export holds (A·B) rounded to float32 and runs (A·B)x, the in-memory model runs A(Bx): the same
     * sums in another order. Float32 reassociation errors are ~1e-7 relative per product (at most 172-term
     * sums); carried through 5 small layers to logits of magnitude < 20, they stay far below 1e-4 absolute
     * (measured: 9e-6). A wrong factor or a transposed matrix moves logits by whole units.
     */
    @Test
    void theExportComputesTheSameLogitsAsTheInMemoryCompressedModel() throws Exception {
        Path out = tmp.resolve("dense");
        new CheckpointExporter(LA).export(ExportFixtures.request(source, replacements, ExportFormat.DENSE, false), out, ProgressListener.NONE);
        float[] inMemory = ExportFixtures.withReplacements(source, replacements).forward(TOKENS);
        float[] original = new LlamaModel(source, LA, LlamaModel.Residency.KEEP).forward(TOKENS);
        try (Checkpoint exported = Checkpoint.open(out)) {
            float[] reloaded = new LlamaModel(exported, LA, LlamaModel.Residency.KEEP).forward(TOKENS);
            assertThat(reloaded).hasSameSizeAs(inMemory);
            assertThat(maxAbsDifference(reloaded, inMemory)).isLessThan(1e-4f);
            assertThat(reloaded).isNotEqualTo(original);   // the compression really is in the file
        }
    }

    private static float maxAbsDifference(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void untouchedTensorsAreCopiedBitForBit() throws Exception {
        Path out = tmp.resolve("dense");
        new CheckpointExporter(LA).export(ExportFixtures.request(source, replacements, ExportFormat.DENSE, false), out, ProgressListener.NONE);
        try (SafetensorsFile file = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            int compared = 0;
            for (String name : source.store().names()) {
                if (!replacements.containsKey(name.substring(0, name.lastIndexOf('.')))) {
                    assertThat(file.readRaw(name)).as(name).isEqualTo(source.store().readRaw(name));
                    compared++;
                }
            }
            assertThat(compared).isEqualTo(source.store().names().size() - replacements.size());
        }
    }
}
