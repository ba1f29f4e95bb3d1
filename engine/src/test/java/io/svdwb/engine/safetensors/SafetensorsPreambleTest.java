package io.svdwb.engine.safetensors;

import static io.svdwb.engine.safetensors.Fixtures.concat;
import static io.svdwb.engine.safetensors.Fixtures.lengthPrefix;
import static io.svdwb.engine.safetensors.Fixtures.rejection;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The 8-byte header length and what comes before the JSON: rules 1-4 and 18 of the reliability notes. */
class SafetensorsPreambleTest {

    @TempDir
    Path dir;

    @Test
    void emptyFileIsTooSmall() throws IOException {
        assertThat(rejection(dir, new byte[0])).isEqualTo(
                "file is 0 bytes, too small to hold the 8-byte header length a safetensors file starts with");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
    void filesOfOneToSevenBytesAreTooSmall(int size) throws IOException {
        assertThat(rejection(dir, new byte[size])).startsWith("file is " + size + " bytes, too small to hold the 8-byte header length");
    }

    @Test
    void lengthOfZeroWithNoJsonIsRejected() throws IOException {
        assertThat(rejection(dir, lengthPrefix(0))).isEqualTo(
                "header length is 0: there is no JSON header after the 8-byte length");
    }

    @Test
    void lengthOnlyWithPromisedJsonMissingIsRejected() throws IOException {
        assertThat(rejection(dir, lengthPrefix(2))).isEqualTo("header length 2 is larger than the file (8 bytes)");
    }

    @Test
    void hugeSignedLengthIsRejectedBeforeAllocating() throws IOException {
        byte[] bytes = concat(lengthPrefix(Long.MAX_VALUE), "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(rejection(dir, bytes)).isEqualTo("header length 9223372036854775807 is larger than the file (10 bytes)");
    }

    @Test
    void allOnesLengthReadsAsUnsignedAndIsRejected() throws IOException {
        byte[] bytes = concat(lengthPrefix(-1L), "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(rejection(dir, bytes)).isEqualTo("header length 18446744073709551615 is larger than the file (10 bytes)");
    }

    @Test
    void lengthOverTheCapIsRejectedWithoutReadingTheHeader() throws IOException {
        Path file = dir.resolve("model.safetensors");
        long headerLength = 150_000_000L;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(lengthPrefix(headerLength));
            raf.write('{');
            raf.setLength(8 + headerLength + 1000); // sparse: no disk space used
        }
        var e = org.junit.jupiter.api.Assertions.assertThrows(SafetensorsException.class, () -> SafetensorsFile.open(file));
        assertThat(e.getMessage()).isEqualTo(file + ": header length 150000000 exceeds the limit of 100000000 bytes");
    }

    @Test
    void ggufFileSaysWhatItIs() throws IOException {
        byte[] gguf = concat("GGUF".getBytes(StandardCharsets.US_ASCII), new byte[] {3, 0, 0, 0}, new byte[64]);
        assertThat(rejection(dir, gguf)).startsWith("this looks like a GGUF file (llama.cpp), not a safetensors file (header length");
    }

    @Test
    void zipCheckpointSaysWhatItIs() throws IOException {
        byte[] zip = concat(new byte[] {'P', 'K', 3, 4}, new byte[100]);
        assertThat(rejection(dir, zip)).startsWith("this looks like a zip archive (PyTorch's torch.save format");
    }

    @Test
    void pickleSaysWhatItIs() throws IOException {
        byte[] pickle = concat(new byte[] {(byte) 0x80, 0x02, 'c', 'c'}, new byte[100]);
        assertThat(rejection(dir, pickle)).startsWith("this looks like a Python pickle");
    }

    @Test
    void tinyGgufFragmentStillSaysWhatItIs() throws IOException {
        assertThat(rejection(dir, "GGUF".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("this looks like a GGUF file (llama.cpp), not a safetensors file (file is 4 bytes, too small to"
                        + " hold the 8-byte header length a safetensors file starts with)");
    }

    @Test
    void gitLfsPointerSaysToFetchTheWeights() throws IOException {
        byte[] pointer = ("version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 1176256\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(rejection(dir, pointer)).contains("a Git LFS pointer").contains("git lfs pull");
    }

    @Test
    void bigEndianHeaderLengthIsRecognised() throws IOException {
        byte[] header = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] bigEndianLength = ByteBuffer.allocate(8).putLong(header.length).array();
        assertThat(rejection(dir, concat(bigEndianLength, header)))
                .startsWith("this looks like a safetensors file with a big-endian header length");
    }
}
