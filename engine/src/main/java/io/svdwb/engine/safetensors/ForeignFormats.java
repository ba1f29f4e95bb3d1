package io.svdwb.engine.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Recognises files that are not safetensors but often end up named as if they were (a renamed GGUF or
 * PyTorch checkpoint, an unfetched Git LFS pointer, an HTML error page), so the error can say what the
 * file is instead of only "bad header length".
 */
final class ForeignFormats {

    private ForeignFormats() {
    }

    /**
     * What the file seems to be, judged from its first bytes (up to 16) and its size, or null when it
     * looks like nothing in particular.
     */
    static String describe(byte[] head, long fileSize) {
        String ascii = new String(head, StandardCharsets.ISO_8859_1);
        if (ascii.startsWith("GGUF")) {
            return "a GGUF file (llama.cpp)";
        }
        if (ascii.startsWith("PK\u0003\u0004")) {
            return "a zip archive (PyTorch's torch.save format, e.g. pytorch_model.bin)";
        }
        if (head.length >= 2 && (head[0] & 0xFF) == 0x80 && head[1] >= 2 && head[1] <= 5) {
            return "a Python pickle (an old-style PyTorch checkpoint)";
        }
        if (ascii.startsWith("\u0093NUMPY")) {
            return "a NumPy .npy file";
        }
        if (ascii.startsWith("\u0089HDF")) {
            return "an HDF5 file (e.g. Keras .h5 weights)";
        }
        if (ascii.startsWith("\u001f\u008b")) {
            return "a gzip-compressed file";
        }
        if (ascii.startsWith("version https://git-lfs")) {
            return "a Git LFS pointer, not the weights themselves (run 'git lfs pull')";
        }
        if (ascii.startsWith("<")) {
            return "an HTML or XML page (a failed download?)";
        }
        if (looksLikeBigEndianSafetensors(head, fileSize)) {
            return "a safetensors file with a big-endian header length (the format requires little-endian)";
        }
        return null;
    }

    private static boolean looksLikeBigEndianSafetensors(byte[] head, long fileSize) {
        if (head.length < 9 || head[8] != '{') {
            return false;
        }
        long bigEndianLength = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.BIG_ENDIAN).getLong();
        return bigEndianLength > 0 && bigEndianLength <= fileSize - 8;
    }
}
