package io.svdwb.engine.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Text files (evaluation and calibration text) read as strict UTF-8. {@code Files.readString} reports a binary
 * file only as "Input length = 1"; this names the file, the offending byte and where it is.
 */
public final class TextFiles {

    private TextFiles() {
    }

    public static String readUtf8(Path file) throws IOException {
        return decodeUtf8(file, ReadableFiles.readAllBytes(file, "a text file"));
    }

    static String decodeUtf8(Path file, byte[] bytes) throws FileProblemException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);   // UTF-8 never needs more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            // the decoder stops with the input positioned at the first byte of the malformed sequence
            int offset = in.position();
            String what = offset < bytes.length
                    ? String.format(Locale.ROOT, "invalid byte 0x%02X at offset %d", bytes[offset] & 0xFF, offset)
                    : "truncated character at the end";
            throw new FileProblemException(file + ": not UTF-8 text (" + what + ")");
        }
        return out.flip().toString();
    }
}
