package io.svdwb.engine.safetensors;

import static io.svdwb.engine.safetensors.Fixtures.accepted;
import static io.svdwb.engine.safetensors.Fixtures.file;
import static io.svdwb.engine.safetensors.Fixtures.floatsLE;
import static io.svdwb.engine.safetensors.Fixtures.rejection;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shapes, data offsets and how the tensors tile the data section (rules 10-14). */
class SafetensorsLayoutTest {

    @TempDir
    Path dir;

    private static String tensor(String name, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void negativeShapeEntryIsRejected() throws IOException {
        assertThat(rejection(dir, file("{" + tensor("w", "[2,-1]", 0, 8) + "}", 8)))
                .isEqualTo("tensor 'w' shape entry -1 is out of range (must be between 0 and 9223372036854775807)");
    }

    @Test
    void nonIntegerShapeEntryIsRejected() throws IOException {
        assertThat(rejection(dir, file("{" + tensor("w", "[2,1.5]", 0, 12) + "}", 12)))
                .isEqualTo("tensor 'w' shape entry 1.5 is not an integer");
    }

    @Test
    void shapeEntryBeyondLongIsRejected() throws IOException {
        assertThat(rejection(dir, file("{" + tensor("w", "[99999999999999999999]", 0, 4) + "}", 4)))
                .startsWith("tensor 'w' shape entry 99999999999999999999 is out of range");
    }

    @Test
    void shapeWhoseProductOverflowsIsRejected() throws IOException {
        assertThat(rejection(dir, file("{" + tensor("w", "[2,9223372036854775807]", 0, 8) + "}", 8)))
                .isEqualTo("tensor 'w' shape [2, 9223372036854775807] overflows a 64-bit count (elements x bytes per element)");
    }

    @Test
    void offsetsEndingBeforeTheyBeginAreRejected() throws IOException {
        assertThat(rejection(dir, file("{" + tensor("w", "[1]", 4, 0) + "}", 4)))
                .isEqualTo("tensor 'w' data_offsets [4, 0] end before they begin");
    }

    @Test
    void byteSizeDifferentFromShapeIsRejected() throws IOException {
        assertThat(rejection(dir, file("{" + tensor("w", "[3]", 0, 8) + "}", 8)))
                .isEqualTo("tensor 'w' data_offsets [0, 8] span 8 bytes, but shape [3] of F32 needs 12");
    }

    @Test
    void gapBetweenTensorsIsRejected() throws IOException {
        String header = "{" + tensor("a", "[1]", 0, 4) + "," + tensor("b", "[1]", 8, 12) + "}";
        assertThat(rejection(dir, file(header, 12))).isEqualTo("gap of 4 unused bytes between tensor 'a' (ends at data"
                + " offset 4) and tensor 'b' (begins at 8); tensors must be stored back to back");
    }

    @Test
    void dataNotStartingAtZeroIsAGap() throws IOException {
        assertThat(rejection(dir, file("{" + tensor("a", "[1]", 4, 8) + "}", 8))).isEqualTo("gap of 4 unused bytes"
                + " between the start of the data section (ends at data offset 0) and tensor 'a' (begins at 4);"
                + " tensors must be stored back to back");
    }

    @Test
    void overlappingTensorsAreRejected() throws IOException {
        String header = "{" + tensor("a", "[2]", 0, 8) + "," + tensor("b", "[2]", 4, 12) + "}";
        assertThat(rejection(dir, file(header, 12)))
                .isEqualTo("tensor 'b' (data offsets [4, 12]) overlaps tensor 'a', which ends at data offset 8");
    }

    @Test
    void offsetBeyondTheFileEndIsRejected() throws IOException {
        String header = "{" + tensor("a", "[1]", 0, 4) + "," + tensor("b", "[1]", 400, 404) + "}";
        assertThat(rejection(dir, file(header, 4))).isEqualTo("file is 400 bytes shorter than its header says"
                + " (truncated download?): tensor 'b' ends at data offset 404 but only 4 data bytes follow the header");
    }

    @Test
    void fileTruncatedMidDataFailsAtOpen() throws IOException {
        byte[] valid = file("{" + tensor("a", "[2]", 0, 8) + "," + tensor("b", "[2]", 8, 16) + "}", 16);
        byte[] truncated = Arrays.copyOf(valid, valid.length - 2);
        assertThat(rejection(dir, truncated)).isEqualTo("file is 2 bytes shorter than its header says"
                + " (truncated download?): tensor 'b' ends at data offset 16 but only 14 data bytes follow the header");
    }

    @Test
    void trailingBytesAfterTheLastTensorAreRejected() throws IOException {
        assertThat(rejection(dir, file("{" + tensor("a", "[1]", 0, 4) + "}", 10))).isEqualTo("6 trailing bytes after"
                + " the last tensor's data (which ends at data offset 4); a safetensors file must end where its last tensor ends");
    }

    @Test
    void dataWithoutAnyTensorIsRejected() throws IOException {
        assertThat(rejection(dir, file("{}", 3))).startsWith("3 trailing bytes after the last tensor's data");
    }

    @Test
    void tensorsMayBeListedInAnyOrderAndAreNamedInDataOrder() throws IOException {
        String header = "{" + tensor("second", "[1]", 4, 8) + "," + tensor("first", "[1]", 0, 4) + "}";
        try (SafetensorsFile f = accepted(dir, file(header, floatsLE(1f, 2f)))) {
            assertThat(f.names()).containsExactly("first", "second");
            assertThat(f.readFloats("second")).containsExactly(2f);
            assertThat(f.info("second").dataStart()).isEqualTo(8 + header.length() + 4);
        }
    }

    @Test
    void zeroSizeTensorIsAccepted() throws IOException {
        String header = "{" + tensor("empty", "[2,0]", 0, 0) + "," + tensor("a", "[1]", 0, 4) + "}";
        try (SafetensorsFile f = accepted(dir, file(header, floatsLE(7f)))) {
            assertThat(f.info("empty").elementCount()).isZero();
            assertThat(f.readFloats("empty")).isEmpty();
            assertThat(f.readRaw("empty")).isEmpty();
            assertThat(f.readFloats("a")).containsExactly(7f);
        }
    }

    @Test
    void scalarIsAcceptedAndReadsAsOneElement() throws IOException {
        try (SafetensorsFile f = accepted(dir, file("{" + tensor("s", "[]", 0, 4) + "}", floatsLE(-2.5f)))) {
            assertThat(f.info("s").rank()).isZero();
            assertThat(f.readFloats("s")).containsExactly(-2.5f);
        }
    }

    @Test
    void emptyHeaderWithNoDataIsAValidEmptyFile() throws IOException {
        try (SafetensorsFile f = accepted(dir, file("{}", 0))) {
            assertThat(f.names()).isEmpty();
            assertThat(f.metadata()).isEmpty();
        }
    }
}
