package io.svdwb.engine.export;

import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.safetensors.SafetensorsWriter;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Remembers a SHA-256 of the bytes handed to the writer for each tensor, so the written file can be checked
 * bit for bit against what was meant to be written without computing any tensor (e.g. a multiplied-out
 * A·B) a second time or keeping it in memory.
 */
final class WrittenDigests {

    private final Map<String, byte[]> digests = new HashMap<>();

    /** Wraps {@code tensor}'s source: records its digest and reports progress; stops if cancelled. */
    SafetensorsWriter.RawSource recording(ExportTensor tensor, ProgressListener progress, long[] done) {
        return () -> {
            progress.throwIfCancelled();
            byte[] bytes = tensor.bytes().get();
            synchronized (digests) {
                digests.put(tensor.name(), sha256(bytes));
            }
            progress.advanceTo(++done[0]);
            return bytes;
        };
    }

    boolean matches(String name, byte[] written) {
        byte[] expected;
        synchronized (digests) {
            expected = digests.get(name);
        }
        return expected != null && Arrays.equals(expected, sha256(written));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
