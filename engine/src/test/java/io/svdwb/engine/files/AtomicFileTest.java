package io.svdwb.engine.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A result file appears whole or not at all, and a bad target is named before any work. */
class AtomicFileTest {

    @TempDir
    Path tmp;

    @Test
    void aFailureWhileWritingLeavesNeitherTheTargetNorTheTemporaryFile() throws Exception {
        Path target = tmp.resolve("rows.json");
        assertThatThrownBy(() -> AtomicFile.write(target, false, out -> {
            out.write("{\"rows\": [".getBytes(StandardCharsets.UTF_8));
            throw new IOException("simulated failure half way");
        })).hasMessage("simulated failure half way");
        assertThat(listing()).isEmpty();
        assertThat(TemporaryPaths.inProgress()).noneMatch(p -> p.startsWith(tmp.toAbsolutePath()));
    }

    @Test
    void aFailedOverwriteKeepsTheOldFile() throws Exception {
        Path target = tmp.resolve("rows.json");
        Files.writeString(target, "old");
        assertThatThrownBy(() -> AtomicFile.write(target, true, out -> {
            throw new IOException("simulated failure");
        })).isInstanceOf(IOException.class);
        assertThat(Files.readString(target)).isEqualTo("old");
        assertThat(listing()).containsExactly("rows.json");
    }

    @Test
    void overwriteReplacesTheFileAndLeavesNothingElse() throws Exception {
        Path target = tmp.resolve("rows.json");
        Files.writeString(target, "old");
        AtomicFile.write(target, true, "new".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(target)).isEqualTo("new");
        assertThat(listing()).containsExactly("rows.json");
    }

    @Test
    void anExistingFileIsRefusedWithoutOverwrite() throws Exception {
        Path target = tmp.resolve("rows.json");
        Files.writeString(target, "old");
        assertThatThrownBy(() -> AtomicFile.write(target, false, new byte[0])).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessage(target + ": already exists");
        assertThat(Files.readString(target)).isEqualTo("old");
    }

    @Test
    void aMissingFolderAFileAsFolderAndAFolderAsTargetAreNamed() throws Exception {
        Path missing = tmp.resolve("no-such-folder").resolve("rows.json");
        assertThatThrownBy(() -> AtomicFile.checkTarget(missing, false))
                .hasMessage(missing + ": the folder " + tmp.resolve("no-such-folder") + " does not exist");
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        assertThatThrownBy(() -> AtomicFile.checkTarget(file.resolve("rows.json"), true))
                .hasMessage(file.resolve("rows.json") + ": " + file + " is not a folder");
        Path folder = Files.createDirectory(tmp.resolve("a-folder"));
        assertThatThrownBy(() -> AtomicFile.checkTarget(folder, true)).hasMessage(folder + ": is a folder, not a file");
    }

    private java.util.List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
