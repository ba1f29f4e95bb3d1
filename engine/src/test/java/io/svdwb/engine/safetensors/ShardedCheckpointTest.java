package io.svdwb.engine.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardedCheckpointTest {

    @TempDir
    Path dir;

    private static final String A = "model-00001-of-00002.safetensors";
    private static final String B = "model-00002-of-00002.safetensors";
    /** a: 2x3 F32 (24 bytes), b: 4 F16 (8 bytes), c: 2 BF16 (4 bytes). */
    private static final long TOTAL = 24 + 8 + 4;

    @BeforeEach
    void writeShards() throws IOException {
        SafetensorsWriter.to(dir.resolve(A)).metadata("origin", "test")
                .addFloats("a", DType.F32, new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})
                .addFloats("b", DType.F16, new long[] {4}, new float[] {0.5f, -1, 2, 65504}).write();
        SafetensorsWriter.to(dir.resolve(B)).addFloats("c", DType.BF16, new long[] {2}, new float[] {1, -2}).write();
    }

    private void index(String weightMap, String totalSize) throws IOException {
        Files.writeString(dir.resolve(CheckpointFiles.SHARD_INDEX),
                "{\"metadata\":{\"total_size\":" + totalSize + "},\"weight_map\":{" + weightMap + "}}");
    }

    private static String entry(String tensor, String file) {
        return "\"" + tensor + "\":\"" + file + "\"";
    }

    private String validMap() {
        return String.join(",", entry("a", A), entry("b", A), entry("c", B));
    }

    @Test
    void readsTensorsAcrossShards() throws IOException {
        index(validMap(), Long.toString(TOTAL));
        try (TensorStore store = CheckpointFiles.open(dir)) {
            assertThat(store).isInstanceOf(ShardedCheckpoint.class);
            assertThat(((ShardedCheckpoint) store).shardCount()).isEqualTo(2);
            assertThat(store.names()).containsExactly("a", "b", "c");
            assertThat(store.readFloats("a")).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(store.readFloats("b")).containsExactly(0.5f, -1, 2, 65504);
            assertThat(store.readFloats("c")).containsExactly(1, -2);
            float[] part = new float[2];
            store.readFloats("a", 4, part, 0, 2);
            assertThat(part).containsExactly(5, 6);
            assertThat(store.info("c").shape()).containsExactly(2);
            assertThat(store.metadata()).containsEntry("origin", "test").containsEntry("format", "pt");
        }
    }

    @Test
    void aMissingShardIsNamed() throws IOException {
        index(validMap().replace(B, "model-00003-of-00003.safetensors"), Long.toString(TOTAL));
        assertThatThrownBy(() -> CheckpointFiles.open(dir)).isInstanceOf(SafetensorsException.class)
                .hasMessageContaining("model-00003-of-00003.safetensors").hasMessageContaining("does not exist");
    }

    @Test
    void aTensorAbsentFromItsShard() throws IOException {
        index(String.join(",", entry("a", A), entry("b", B), entry("c", B)), Long.toString(TOTAL));
        assertThatThrownBy(() -> CheckpointFiles.open(dir))
                .hasMessageContaining("tensor 'b' in " + B + ", which has no such tensor");
    }

    @Test
    void aShardTensorMissingFromTheIndex() throws IOException {
        index(String.join(",", entry("a", A), entry("c", B)), Long.toString(TOTAL));
        assertThatThrownBy(() -> CheckpointFiles.open(dir))
                .hasMessageContaining("shard " + A + " holds tensors the weight_map does not list: [b]");
    }

    @Test
    void totalSizeMustMatchTheShards() throws IOException {
        index(validMap(), "37");
        assertThatThrownBy(() -> CheckpointFiles.open(dir))
                .hasMessageContaining("total_size is 37 but the shards hold 36 bytes");
    }

    @Test
    void shardNamesCannotLeaveTheFolder() throws IOException {
        for (String evil : new String[] {"../" + A, "/etc/passwd", "sub\\\\" + A, ".."}) {
            index(String.join(",", entry("a", evil), entry("b", A), entry("c", B)), Long.toString(TOTAL));
            assertThatThrownBy(() -> CheckpointFiles.open(dir)).as(evil)
                    .hasMessageContaining("shard names must be plain file names");
        }
    }

    @Test
    void anIndexWithoutWeightMapOrNotJson() throws IOException {
        Files.writeString(dir.resolve(CheckpointFiles.SHARD_INDEX), "{\"metadata\":{}}");
        assertThatThrownBy(() -> CheckpointFiles.open(dir)).hasMessageContaining("no 'weight_map'");
        Files.writeString(dir.resolve(CheckpointFiles.SHARD_INDEX), "{\"weight_map\": {");
        assertThatThrownBy(() -> CheckpointFiles.open(dir)).hasMessageContaining("not a valid JSON index");
    }

    @Test
    void aFolderWithoutWeights() throws IOException {
        Files.delete(dir.resolve(A));
        Files.delete(dir.resolve(B));
        assertThatThrownBy(() -> CheckpointFiles.open(dir))
                .hasMessageContaining("no model.safetensors or model.safetensors.index.json");
    }
}
