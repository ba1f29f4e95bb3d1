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
        ReadableFiles.requireReadable(file, "a text file");
        // the bytes, then the String: up to two bytes per character when the text is not all Latin-1
        io.svdwb.engine.progress.NotEnoughMemoryError.requireHeap(3 * java.nio.file.Files.size(file), "reading " + file);
        return decodeUtf8(file, ReadableFiles.readAllBytes(file, "a text file"));
    }

    static String decodeUtf8(Path file, byte[] bytes) throws FileProblemException {
        // validated through a small window, then decoded by String itself: no second full-size char buffer,
        // which for a 10 MB text would be 20 MB of heap more than reading needs
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer window = CharBuffer.allocate(1 << 16);
        while (true) {
            CoderResult result = decoder.decode(in, window, true);
            if (result.isError()) {
                // the decoder stops with the input positioned at the first byte of the malformed sequence
                int offset = in.position();
                throw new FileProblemException(file + ": not UTF-8 text ("
                        + String.format(Locale.ROOT, "invalid byte 0x%02X at offset %d", bytes[offset] & 0xFF, offset) + ")");
            }
            if (result.isUnderflow()) {
                break;
            }
            window.clear();
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
