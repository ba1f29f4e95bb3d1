package io.svdwb.engine.export;

import static io.svdwb.engine.export.ExportFixtures.LA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.progress.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which of a source folder's files an export carries: the tokenizer and generation files, never the files that
 * describe the source model (reference perplexities and logits, provenance) or anything unknown.
 */
class ExportFileSetTest extends DemoModelExportTestBase {

    @Test
    void generationConfigIsCopiedAndUnknownOrSourceDescribingFilesAreNot() throws Exception {
        Path copy = tmp.resolve("source");
        Files.createDirectories(copy);
        try (var files = Files.list(source.dir())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, copy.resolve(f.getFileName().toString()));
            }
        }
        Files.writeString(copy.resolve("generation_config.json"), "{\"bos_token_id\": 1, \"eos_token_id\": 2}");
        Files.writeString(copy.resolve("notes.txt"), "measured on the uncompressed model");
        Files.delete(copy.resolve("PROVENANCE.md"));
        Path out = tmp.resolve("dense");
        try (Checkpoint copied = Checkpoint.open(copy)) {
            new CheckpointExporter(LA).export(ExportFixtures.request(copied, replacements, ExportFormat.DENSE, false), out,
                    ProgressListener.NONE);
        }
        try (var files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).containsExactly("config.json",
                    "generation_config.json", "manifest.json", "model.safetensors", "rank_map.json", "special_tokens_map.json",
                    "tokenizer.json", "tokenizer.model", "tokenizer_config.json");
        }
        assertThat(Files.mismatch(out.resolve("generation_config.json"), copy.resolve("generation_config.json"))).isEqualTo(-1);
        var manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertThat(manifest.get("source_model").asText()).isEqualTo(copy.toAbsolutePath().normalize().toString());
        assertThat(manifest.get("source_provenance").isNull()).as("no PROVENANCE.md in this source").isTrue();
    }
}
