package io.svdwb.engine.safetensors;

import static io.svdwb.engine.safetensors.Fixtures.accepted;
import static io.svdwb.engine.safetensors.Fixtures.concat;
import static io.svdwb.engine.safetensors.Fixtures.file;
import static io.svdwb.engine.safetensors.Fixtures.rejection;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JSON header itself: encoding, shape of the document, padding, metadata, names and dtypes (rules 5-9). */
class SafetensorsHeaderJsonTest {

    private static final String ONE_F32 = "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";

    @TempDir
    Path dir;

    @Test
    void headerThatIsNotUtf8IsRejected() throws IOException {
        byte[] header = concat("{\"".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF},
                "\":{}}".getBytes(StandardCharsets.UTF_8));
        assertThat(rejection(dir, file(header, new byte[0])))
                .isEqualTo("header is not valid UTF-8 (bad byte sequence at header byte 2)");
    }

    @Test
    void loneOpeningBraceIsNotJson() throws IOException {
        assertThat(rejection(dir, file("{", 0))).startsWith("header is not valid JSON: Unexpected end-of-input");
    }

    /** The format says the header MUST begin with '{'; unlike the Rust crate we enforce it. */
    @Test
    void leadingWhitespaceIsRejected() throws IOException {
        assertThat(rejection(dir, file(" {}", 0))).isEqualTo("header must be a JSON object starting with '{' at byte 8,"
                + " but it starts with whitespace (the format requires '{' as the very first header byte)");
    }

    @Test
    void jsonArrayIsRejected() throws IOException {
        assertThat(rejection(dir, file("[]", 0)))
                .isEqualTo("header must be a JSON object starting with '{' at byte 8, but it starts with '[' (a JSON array)");
    }

    @Test
    void jsonNumberIsRejected() throws IOException {
        assertThat(rejection(dir, file("42", 0)))
                .isEqualTo("header must be a JSON object starting with '{' at byte 8, but it starts with '4' (a JSON number)");
    }

    @Test
    void textAfterTheObjectIsRejected() throws IOException {
        assertThat(rejection(dir, file("{} x", 0))).startsWith("header is not valid JSON: Unrecognized token 'x'");
    }

    @Test
    void secondJsonValueAfterTheObjectIsRejected() throws IOException {
        assertThat(rejection(dir, file("{} {}", 0))).isEqualTo("header has more JSON after its top-level object");
    }

    @Test
    void trailingSpacePaddingIsAccepted() throws IOException {
        try (SafetensorsFile f = accepted(dir, file("{" + ONE_F32 + "}      ", 4))) {
            assertThat(f.names()).containsExactly("a");
        }
    }

    @Test
    void nulPaddingIsRejected() throws IOException {
        byte[] header = concat(("{" + ONE_F32 + "}").getBytes(StandardCharsets.UTF_8), new byte[5]);
        assertThat(rejection(dir, file(header, new byte[4])))
                .isEqualTo("header is padded with NUL bytes (0x00) after the JSON; only spaces (0x20) may pad the header");
    }

    @Test
    void nonStringMetadataValueIsRejected() throws IOException {
        assertThat(rejection(dir, file("{\"__metadata__\":{\"format\":1}}", 0)))
                .isEqualTo("__metadata__ value of 'format' must be a string, found a number 1");
    }

    @Test
    void metadataThatIsNotAnObjectIsRejected() throws IOException {
        assertThat(rejection(dir, file("{\"__metadata__\":\"pt\"}", 0)))
                .isEqualTo("__metadata__ must be an object of strings, found a string");
    }

    @Test
    void metadataWithoutFormatIsAcceptedWithAWarning() throws IOException {
        try (SafetensorsFile f = accepted(dir, file("{\"__metadata__\":{\"author\":\"me\"}}", 0))) {
            assertThat(f.metadata()).containsExactly(java.util.Map.entry("author", "me"));
            assertThat(f.warnings()).containsExactly(
                    "__metadata__ has no 'format' entry; Hugging Face transformers will refuse to load this file");
        }
    }

    @Test
    void metadataWithFormatGivesNoWarning() throws IOException {
        try (SafetensorsFile f = accepted(dir, file("{\"__metadata__\":{\"format\":\"pt\"}}", 0))) {
            assertThat(f.metadata()).containsEntry("format", "pt");
            assertThat(f.warnings()).isEmpty();
        }
    }

    @Test
    void duplicateTensorNameIsNamed() throws IOException {
        String header = "{" + ONE_F32 + "," + ONE_F32.replace("[0,4]", "[4,8]") + "}";
        assertThat(rejection(dir, file(header, 8)))
                .isEqualTo("duplicate tensor name 'a' in header (each name may appear only once)");
    }

    @Test
    void duplicateKeyInsideAnEntryNamesTheTensor() throws IOException {
        String header = "{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertThat(rejection(dir, file(header, 4))).isEqualTo("duplicate key 'dtype' in the entry of 'a'");
    }

    @Test
    void unknownDtypeNamesTensorAndDtype() throws IOException {
        assertThat(rejection(dir, file("{" + ONE_F32.replace("F32", "F12") + "}", 4)))
                .isEqualTo("tensor 'a' has unknown dtype 'F12' (supported: [F32, F16, BF16, F64, I8])");
    }

    @Test
    void lowerCaseDtypeIsRejectedWithAHint() throws IOException {
        assertThat(rejection(dir, file("{" + ONE_F32.replace("F32", "f32") + "}", 4)))
                .isEqualTo("tensor 'a' has unknown dtype 'f32' (dtype names are case-sensitive: did you mean 'F32'?)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"I32", "I64", "U8", "BOOL", "F8_E4M3"})
    void realButUnsupportedDtypeListsTheSupportedOnes(String dtype) throws IOException {
        assertThat(rejection(dir, file("{" + ONE_F32.replace("F32", dtype) + "}", 4)))
                .isEqualTo("tensor 'a' has unsupported dtype " + dtype + " (this reader supports [F32, F16, BF16, F64, I8])");
    }

    @Test
    void unknownEntryKeyIsRejected() throws IOException {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"strides\":[1]}}";
        assertThat(rejection(dir, file(header, 4)))
                .isEqualTo("tensor 'a' has an unknown key 'strides' (allowed: dtype, shape, data_offsets)");
    }

    @Test
    void missingDataOffsetsIsRejected() throws IOException {
        assertThat(rejection(dir, file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4)))
                .isEqualTo("tensor 'a' has no 'data_offsets'");
    }

    @Test
    void entryThatIsNotAnObjectIsRejected() throws IOException {
        assertThat(rejection(dir, file("{\"a\":[1,2]}", 0)))
                .isEqualTo("entry of tensor 'a' must be a JSON object, found an array");
    }
}
