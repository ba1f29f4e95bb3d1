package io.svdwb.engine.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads the start of a safetensors file: the little-endian u64 header length and the header bytes. Every
 * size is checked against the file before anything is allocated, so a hostile length cannot exhaust memory.
 */
final class HeaderBytes {

    /** Same cap as the Rust safetensors crate; real headers are a few MB even for the largest models. */
    static final long MAX_HEADER_LENGTH = 100_000_000L;

    private static final int SNIFF_LENGTH = 32;

    private HeaderBytes() {
    }

    /** The header bytes (JSON plus any padding); the tensor data starts right after them, at 8 + length. */
    static byte[] read(Path path, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        byte[] head = readFully(path, channel, 0, (int) Math.min(fileSize, SNIFF_LENGTH));
        if (fileSize < 8) {
            throw fail(path, head, fileSize, "file is " + fileSize
                    + " bytes, too small to hold the 8-byte header length a safetensors file starts with");
        }
        long length = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (length == 0) {
            throw fail(path, head, fileSize, "header length is 0: there is no JSON header after the 8-byte length");
        }
        // An unsigned length of 2^63 or more reads as negative in Java; either way it cannot fit the file.
        if (length < 0 || length > fileSize - 8) {
            throw fail(path, head, fileSize, "header length " + Long.toUnsignedString(length)
                    + " is larger than the file (" + fileSize + " bytes)");
        }
        if (length > MAX_HEADER_LENGTH) {
            throw fail(path, head, fileSize, "header length " + length + " exceeds the limit of "
                    + MAX_HEADER_LENGTH + " bytes");
        }
        if (head[8] != '{') {
            throw fail(path, head, fileSize, "header must be a JSON object starting with '{' at byte 8, but it starts with "
                    + describeFirstByte(head[8]));
        }
        return readFully(path, channel, 8, (int) length);
    }

    private static SafetensorsException fail(Path path, byte[] head, long fileSize, String problem) {
        String lookalike = ForeignFormats.describe(head, fileSize);
        if (lookalike != null) {
            return new SafetensorsException(path, "this looks like " + lookalike + ", not a safetensors file (" + problem + ")");
        }
        return new SafetensorsException(path, problem);
    }

    private static String describeFirstByte(byte b) {
        return switch (b) {
            case '[' -> "'[' (a JSON array)";
            case ' ', '\t', '\r', '\n' -> "whitespace (the format requires '{' as the very first header byte)";
            case '"' -> "'\"' (a JSON string)";
            case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> "'" + (char) b + "' (a JSON number)";
            case (byte) 0xEF -> "a UTF-8 byte order mark (the format forbids one)";
            default -> (b >= 0x21 && b < 0x7F) ? "'" + (char) b + "'" : String.format("byte 0x%02X", b & 0xFF);
        };
    }

    private static byte[] readFully(Path path, FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new SafetensorsException(path, "file shrank while its header was being read");
            }
        }
        return buffer.array();
    }
}
