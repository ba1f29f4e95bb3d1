package io.svdwb.engine.export;

import static io.svdwb.engine.export.ExportFixtures.LA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.ColumnPreservingLinear;
import io.svdwb.engine.model.DenseLinear;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.LowRankLinear;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.safetensors.DType;
import io.svdwb.engine.safetensors.SafetensorsFile;
import io.svdwb.engine.safetensors.SafetensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the demo model cannot show: a projection with a bias (it moves onto the A factor) and a BF16 source
 * (untouched tensors stay BF16 bit for bit, replaced weights are written F32 as documented on
 * {@link ExportFormat#DENSE}).
 */
class BiasedBf16ExportTest {

    private static final String CONFIG = """
            {"model_type":"llama","hidden_size":8,"intermediate_size":12,"num_hidden_layers":2,
             "num_attention_heads":2,"num_key_value_heads":1,"vocab_size":16,"max_position_embeddings":32,
             "attention_bias":true,"tie_word_embeddings":false}""";
    private static final int[][] TOKENS = {{1, 5, 9, 3, 14, 2}};
    private static final String Q = ProjectionKind.Q.moduleName(1);

    @TempDir
    Path tmp;

    @Test
    void aBiasedModuleKeepsItsBiasOnTheOutputFactorAndTheSourceDtypeIsKeptElsewhere() throws Exception {
        try (Checkpoint source = Checkpoint.open(writeBf16Checkpoint(tmp.resolve("source")))) {
            DenseLinear dense = new LlamaModel(source, LA, LlamaModel.Residency.KEEP).loadDense(1, ProjectionKind.Q);
            assertThat(dense.bias()).isNotNull();
            // exact factorisation W = W · I, so the factored and the dense export compute the same function
            Map<String, Linear> replacements = Map.of(Q, new LowRankLinear(dense.weight(),
                    Nd4j.eye(dense.inFeatures()).castTo(DataType.FLOAT), dense.bias(), LA));
            float[] inMemory = ExportFixtures.withReplacements(source, replacements).forward(TOKENS);
            CheckpointExporter exporter = new CheckpointExporter(LA);

            Path factored = tmp.resolve("factored");
            exporter.export(ExportFixtures.request(source, replacements, ExportFormat.FACTORED, false), factored, ProgressListener.NONE);
            try (SafetensorsFile file = SafetensorsFile.open(factored.resolve("model.safetensors"))) {
                assertThat(file.info(Q + ".ALinear.bias").shape()).containsExactly(8);
                assertThat(file.contains(Q + ".bias")).isFalse();
                assertThat(file.readRaw(Q + ".ALinear.bias")).isNotEqualTo(source.store().readRaw(Q + ".bias"));  // F32 vs BF16 bytes
                assertThat(file.readFloats(Q + ".ALinear.bias")).containsExactly(source.store().readFloats(Q + ".bias"));
                assertThat(file.info(Checkpoint.EMBED).dtype()).isEqualTo(DType.BF16);
                assertThat(file.readRaw(Checkpoint.LM_HEAD)).isEqualTo(source.store().readRaw(Checkpoint.LM_HEAD));
            }
            try (Checkpoint reloaded = FactoredCheckpoint.open(factored)) {
                assertThat(FactoredCheckpoint.model(reloaded, LA, LlamaModel.Residency.STREAM).forward(TOKENS)).containsExactly(inMemory);
            }

            Path denseOut = tmp.resolve("dense");
            exporter.export(ExportFixtures.request(source, replacements, ExportFormat.DENSE, false), denseOut, ProgressListener.NONE);
            // a dense export is a plain checkpoint of the source's class: config.json as is, no remote code
            assertThat(Files.mismatch(denseOut.resolve("config.json"), tmp.resolve("source").resolve("config.json"))).isEqualTo(-1);
            assertThat(denseOut.resolve(CheckpointExporter.MODELING_FILE)).doesNotExist();
            assertThat(factored.resolve(CheckpointExporter.MODELING_FILE)).exists();
            try (Checkpoint reloaded = Checkpoint.open(denseOut)) {
                assertThat(reloaded.store().info(Q + ".weight").dtype()).isEqualTo(DType.F32);
                assertThat(reloaded.store().info(Q + ".bias").dtype()).isEqualTo(DType.F32);
                assertThat(reloaded.store().info(ProjectionKind.K.weightName(1)).dtype()).isEqualTo(DType.BF16);
                // W·I multiplied out is W exactly; only the order of float sums differs (8 terms)
                assertThat(new LlamaModel(reloaded, LA, LlamaModel.Residency.KEEP).forward(TOKENS)).containsExactly(inMemory, within(1e-5f));
                assertThat(reloaded.totalParameters()).isEqualTo(source.totalParameters());
            }
        }
    }

    /** A column-preserving module carries its bias on A too, and reloads as the same function. */
    @Test
    void aBiasedColumnPreservingModuleKeepsItsBiasOnTheOutputFactor() throws Exception {
        try (Checkpoint source = Checkpoint.open(writeBf16Checkpoint(tmp.resolve("source")))) {
            DenseLinear dense = new LlamaModel(source, LA, LlamaModel.Residency.KEEP).loadDense(1, ProjectionKind.Q);
            int[] kept = {0, 5};
            int[] rest = {1, 2, 3, 4, 6, 7};
            // exact: A = W[:, R], B = I, C = W[:, C]
            Map<String, Linear> replacements = Map.of(Q, new ColumnPreservingLinear(dense.weight().getColumns(rest).dup('c'),
                    Nd4j.eye(rest.length).castTo(DataType.FLOAT), dense.weight().getColumns(kept).dup('c'), kept, dense.bias(), LA));
            float[] inMemory = ExportFixtures.withReplacements(source, replacements).forward(TOKENS);
            Path factored = tmp.resolve("factored");
            new CheckpointExporter(LA).export(ExportFixtures.request(source, replacements, ExportFormat.FACTORED, false), factored,
                    ProgressListener.NONE);
            try (Checkpoint reloaded = FactoredCheckpoint.open(factored)) {
                assertThat(reloaded.store().readFloats(Q + ".ALinear.bias")).containsExactly(source.store().readFloats(Q + ".bias"));
                assertThat(reloaded.store().contains(Q + ".bias")).isFalse();
                assertThat(FactoredCheckpoint.model(reloaded, LA, LlamaModel.Residency.KEEP).forward(TOKENS)).containsExactly(inMemory);
            }
        }
    }

    private static Path writeBf16Checkpoint(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), CONFIG);
        ModelConfig config = ModelConfig.read(dir);
        SafetensorsWriter writer = SafetensorsWriter.to(dir.resolve("model.safetensors"));
        SplittableRandom random = new SplittableRandom(5);
        for (Map.Entry<String, long[]> e : new LinkedHashMap<>(Checkpoint.expectedTensors(config, true)).entrySet()) {
            long n = 1;
            for (long d : e.getValue()) {
                n *= d;
            }
            float[] values = new float[(int) n];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextDouble() - 0.5);
            }
            writer.addFloats(e.getKey(), DType.BF16, e.getValue(), values);
        }
        writer.write();
        return dir;
    }
}
