package io.svdwb.engine.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strict UTF-8: the first bad byte and its offset in bytes (not characters) are named, with the file. */
class TextFilesTest {

    @TempDir
    Path tmp;

    @Test
    void validUtf8IsReadWhole() throws Exception {
        Path file = Files.writeString(tmp.resolve("ok.txt"), "héllo wörld\n", StandardCharsets.UTF_8);
        assertThat(TextFiles.readUtf8(file)).isEqualTo("héllo wörld\n");
    }

    @Test
    void theOffsetCountsBytesPastMultiByteCharacters() throws Exception {
        // h, é (2 bytes), l, l, o: the stray 0xFF is byte 6
        byte[] bytes = {'h', (byte) 0xC3, (byte) 0xA9, 'l', 'l', 'o', (byte) 0xFF, 'x'};
        Path file = Files.write(tmp.resolve("binary.txt"), bytes);
        assertThatThrownBy(() -> TextFiles.readUtf8(file)).isInstanceOf(FileProblemException.class)
                .hasMessage(file + ": not UTF-8 text (invalid byte 0xFF at offset 6)");
    }

    @Test
    void aSequenceCutOffAtTheEndIsNamedByItsFirstByte() throws Exception {
        Path file = Files.write(tmp.resolve("cut.txt"), new byte[] {'a', 'b', (byte) 0xE2, (byte) 0x82});
        assertThatThrownBy(() -> TextFiles.readUtf8(file)).hasMessage(file + ": not UTF-8 text (invalid byte 0xE2 at offset 2)");
    }

    @Test
    void aMissingFileAndAFolderAreNamed() throws Exception {
        Path missing = tmp.resolve("missing.txt");
        assertThatThrownBy(() -> TextFiles.readUtf8(missing)).hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> TextFiles.readUtf8(tmp)).hasMessage(tmp + ": is a folder, not a text file");
    }
}
