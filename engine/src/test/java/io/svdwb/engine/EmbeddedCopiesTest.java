package io.svdwb.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The embedded demo model and texts are byte-for-byte the project's shared references (checked where
 * the shared folder sits beside the checkout, as in CI), so tests on resources/ test the references.
 */
class EmbeddedCopiesTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "models/stories260K/model.safetensors",
            "models/stories260K/config.json",
            "models/stories260K/tokenizer.json",
            "models/stories260K/tokenizer_config.json",
            "models/stories260K/reference_ppl.json",
            "models/stories260K/reference_logits_wikitext2_test.json",
            "data/wikitext-2/wiki.test.raw",
            "data/wikitext-2/wiki.train.tokens",
            "data/tinystories/TinyStories-valid.head.txt"})
    void embeddedFileEqualsTheSharedOne(String relative) throws Exception {
        Path shared = TestData.shared().resolve(relative);
        assumeTrue(Files.isRegularFile(shared), "no shared folder beside the checkout");
        Path embedded = TestData.repoRoot().resolve("resources").resolve(relative);
        assertThat(sha256(embedded)).isEqualTo(sha256(shared));
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
