package io.svdwb.engine.calibration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Identifies one calibration result: everything that changes the statistics, written out as readable
 * {@code name=value} lines ({@link #description()}), and its SHA-256 ({@link #hash()}) naming the cache folder.
 *
 * <ul>
 *   <li>Model: the real path of its folder, SHA-256 of config.json, tokenizer.json and tokenizer_config.json
 *       (cheap, and the tokenizer decides the windows), and name, size and modification time of every
 *       {@code *.safetensors} file. Hashing gigabytes of weights would cost more than it saves; replacing weights
 *       in place with the same size and timestamp is the one change this does not see.</li>
 *   <li>Data: SHA-256 of the text file's content (a few MB at most), so a moved or touched copy still hits
 *       and an edited one never does.</li>
 *   <li>Settings: N, L (resolved), seed, windows per batch, and the BOS policy.</li>
 * </ul>
 */
public record CalibrationCacheKey(String description, String hash) {

    /** Bumped whenever the file layout or what is accumulated changes, so old caches are simply not found. */
    static final String FORMAT = "svdwb-calibration-v2";

    public static CalibrationCacheKey of(Path modelDir, Path textFile, int samples, int windowLength, long seed,
            int windowsPerBatch, boolean bos, int bosId) throws IOException {
        StringBuilder d = new StringBuilder();
        line(d, "format", FORMAT);
        d.append(modelDescription(modelDir));
        line(d, "data.sha256", sha256(textFile));
        line(d, "samples", Integer.toString(samples));
        line(d, "window_length", Integer.toString(windowLength));
        line(d, "seed", Long.toString(seed));
        line(d, "windows_per_batch", Integer.toString(windowsPerBatch));
        line(d, "bos", bos ? Integer.toString(bosId) : "none");
        String description = d.toString();
        return new CalibrationCacheKey(description, hex(digest().digest(description.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    /**
     * The model part of the key as {@code model.*=value} lines (see the class comment): shared with every other
     * on-disk cache of things computed from a model's weights, so they all notice the same changes.
     */
    public static String modelDescription(Path modelDir) throws IOException {
        StringBuilder d = new StringBuilder();
        Path model = modelDir.toRealPath();
        line(d, "model.dir", model.toString());
        for (String name : List.of("config.json", "tokenizer.json", "tokenizer_config.json")) {
            Path file = model.resolve(name);
            line(d, "model." + name, Files.isRegularFile(file) ? sha256(file) : "absent");
        }
        for (Path weights : weightFiles(model)) {
            line(d, "model.weights." + weights.getFileName(),
                    Files.size(weights) + " bytes, modified " + Files.getLastModifiedTime(weights).toMillis());
        }
        return d.toString();
    }

    /** The folder name under the cache root: a prefix of the hash is plenty, each file still checks the full key. */
    public String folderName() {
        return hash.substring(0, 32);
    }

    private static void line(StringBuilder d, String name, String value) {
        d.append(name).append('=').append(value).append('\n');
    }

    private static List<Path> weightFiles(Path model) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(model, "*.safetensors")) {
            s.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
        }
        return hex(md.digest());
    }

    /** A fresh SHA-256 digest (shared with the other on-disk caches' checksums). */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Lower-case hex, as every cache key and checksum is written. */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
