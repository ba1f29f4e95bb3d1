package io.svdwb.engine.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JSON problem is one line naming the file, the line and the column. */
class JsonFilesTest {

    @TempDir
    Path tmp;

    @Test
    void aSyntaxErrorNamesLineAndColumnOnOneLine() throws Exception {
        Path file = Files.writeString(tmp.resolve("config.json"), "{\n  \"hidden_size\": 64,\n  oops\n}\n");
        assertThatThrownBy(() -> JsonFiles.read(file)).isInstanceOf(FileProblemException.class)
                .hasMessageStartingWith(file + ": not valid JSON at line 3, column 3: Unexpected character ('o' (code 111)): was expecting double-quote")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("Source:"));
    }

    @Test
    void anUnterminatedObjectAndAnEmptyFileAreNamed() throws Exception {
        Path cut = Files.writeString(tmp.resolve("cut.json"), "{\"a\": 1,");
        assertThatThrownBy(() -> JsonFiles.read(cut)).hasMessageStartingWith(cut + ": not valid JSON at line 1, column 9: Unexpected end-of-input");
        Path empty = Files.writeString(tmp.resolve("empty.json"), "");
        assertThatThrownBy(() -> JsonFiles.read(empty)).hasMessage(empty + ": empty, expected JSON");
    }

    @Test
    void aFolderIsNotAJsonFile() {
        assertThatThrownBy(() -> JsonFiles.read(tmp)).hasMessage(tmp + ": is a folder, not a JSON file");
    }
}
