package io.svdwb.engine.compress.method;

import io.svdwb.engine.calibration.CalibrationCacheKey;
import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.model.MatrixSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Full-rank decompositions by recipe and matrix, computed once: a new ratio only re-slices them
 * ({@link LowRankDecomposition#truncate}), which is what makes the workbench's sliders cheap. Bounded by
 * bytes (least recently used out first) so a 7B model's 224 decompositions cannot fill the heap.
 *
 * <p>Optionally backed by a folder: on a memory miss the {@link DecompositionFile} named by the SHA-256 of the
 * full key is read; only if it is absent or bad is the decomposition computed, then written there. The full key
 * ({@link #fullKey}) names the recipe, the tensor and the data the result depends on, so a file is never used
 * for another model or calibration. The disk tier only saves time: a bad file is a miss (and is overwritten), a
 * failed write a warning.
 */
public final class DecompositionCache {

    /** Bumped whenever the file layout or a kernel's result changes, so old files are simply not found. */
    static final String FORMAT = "svdwb-decomposition-v1";

    private static final Logger LOG = LoggerFactory.getLogger(DecompositionCache.class);

    /** Default bound: a quarter of the maximum heap; memory only. */
    public static DecompositionCache withDefaultBound() {
        return withDefaultBound(null);
    }

    /** Default bound, backed by {@code folder} (null = memory only). */
    public static DecompositionCache withDefaultBound(Path folder) {
        return new DecompositionCache(Runtime.getRuntime().maxMemory() / 4, folder);
    }

    private final long maxBytes;
    private final Path folder;
    private final LinkedHashMap<String, LowRankDecomposition> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long hits;
    private long diskHits;
    private long misses;
    private long diskWriteFailures;

    /** Memory only. */
    public DecompositionCache(long maxBytes) {
        this(maxBytes, null);
    }

    /**
     * @param folder where decompositions are also kept across runs (created when the first file is written), or
     *               null for memory only
     */
    public DecompositionCache(long maxBytes, Path folder) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("cache bound must be positive, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.folder = folder != null ? folder.toAbsolutePath() : null;
    }

    /**
     * The cached decomposition, else the one on disk, else the one {@code compute} returns (read and computed
     * outside the lock, then kept).
     *
     * @param dataIdentity what the decomposition was computed from besides the recipe and the tensor, as
     *                     {@code name=value} lines (see {@link CompressionContext#decomposition}); asked only when
     *                     the disk tier is consulted
     */
    public LowRankDecomposition get(DecompositionRecipe recipe, MatrixSpec matrix, Supplier<String> dataIdentity,
            Supplier<LowRankDecomposition> compute) {
        String memoryKey = memoryKey(recipe, matrix);
        synchronized (this) {
            LowRankDecomposition cached = entries.get(memoryKey);
            if (cached != null) {
                hits++;
                return cached;
            }
        }
        String fullKey = folder != null ? fullKey(recipe, matrix, dataIdentity.get()) : null;
        LowRankDecomposition loaded = fullKey != null ? read(fullKey) : null;
        LowRankDecomposition result = loaded != null ? loaded : compute.get();
        synchronized (this) {
            if (loaded != null) {
                diskHits++;
            } else {
                misses++;
            }
            LowRankDecomposition raced = entries.get(memoryKey);
            if (raced != null) {
                return raced;
            }
            entries.put(memoryKey, result);
            bytes += sizeOf(result);
            evictOverBound();
        }
        if (fullKey != null && loaded == null) {
            write(fullKey, result);
        }
        return result;
    }

    /**
     * Everything a stored decomposition depends on, as {@code name=value} lines: the file format, the recipe with
     * its options, the tensor, and the data (model files, or the calibration key that already covers them).
     */
    public static String fullKey(DecompositionRecipe recipe, MatrixSpec matrix, String dataIdentity) {
        String data = dataIdentity.endsWith("\n") ? dataIdentity : dataIdentity + "\n";
        return "format=" + FORMAT + "\nrecipe=" + recipe.key() + "\ntensor=" + matrix.tensorName() + "\n" + data;
    }

    /** The file of a full key: its SHA-256, so any change in the key gives another file. */
    public Path file(String fullKey) {
        if (folder == null) {
            throw new IllegalStateException("this cache has no folder");
        }
        byte[] hash = CalibrationCacheKey.digest().digest(fullKey.getBytes(StandardCharsets.UTF_8));
        return folder.resolve(CalibrationCacheKey.hex(hash) + ".safetensors");
    }

    /** The disk folder, or null for memory only. */
    public Path folder() {
        return folder;
    }

    private LowRankDecomposition read(String fullKey) {
        Path file = file(fullKey);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return DecompositionFile.read(file, fullKey);
        } catch (IOException e) {
            LOG.warn("Decomposition cache file is unusable and will be recomputed: {}", e.getMessage());
            return null;
        }
    }

    private void write(String fullKey, LowRankDecomposition d) {
        Path file = file(fullKey);
        try {
            Files.createDirectories(folder);
            DecompositionFile.write(file, d, fullKey);
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                diskWriteFailures++;
            }
            LOG.warn("Could not store the decomposition of {} in {} (the compression goes on without it): {}", d.label(), file, e.toString());
        }
    }

    private static String memoryKey(DecompositionRecipe recipe, MatrixSpec matrix) {
        // one context = one model and one calibration, so the recipe and the tensor suffice in memory
        return recipe.key() + " | " + matrix.tensorName();
    }

    public synchronized boolean contains(DecompositionRecipe recipe, MatrixSpec matrix) {
        return entries.containsKey(memoryKey(recipe, matrix));
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized long hits() {
        return hits;
    }

    /** Memory misses answered by a file. */
    public synchronized long diskHits() {
        return diskHits;
    }

    /** Decompositions computed: misses in memory and on disk. */
    public synchronized long misses() {
        return misses;
    }

    /** Files that could not be written (each logged as a warning). */
    public synchronized long diskWriteFailures() {
        return diskWriteFailures;
    }

    /** Empties the memory tier; files stay. */
    public synchronized void clear() {
        entries.clear();
        bytes = 0;
    }

    private void evictOverBound() {
        Iterator<Map.Entry<String, LowRankDecomposition>> it = entries.entrySet().iterator();
        // keep at least the newest entry, even if it alone exceeds the bound
        long dropped = 0;
        while (bytes > maxBytes && entries.size() > 1 && it.hasNext()) {
            long size = sizeOf(it.next().getValue());
            bytes -= size;
            dropped += size;
            it.remove();
        }
        if (dropped >= COLLECT_AFTER_DROPPING_BYTES) {
            // An evicted decomposition may still be in a caller's hands, so it cannot be closed here; its off-heap
            // arrays (hundreds of MB at 7B widths) are freed only when the collector finds it, and the collector,
            // seeing a few bytes of heap, would not look for a long time: on a LLaMA-7B layer the resident memory
            // climbed past 20 GB before it did.
            System.gc();
        }
    }

    /** Off-heap bytes dropped at once that are worth a garbage collection to get back. */
    private static final long COLLECT_AFTER_DROPPING_BYTES = 64L << 20;

    static long sizeOf(LowRankDecomposition d) {
        long r = d.fullRank();
        return 8L * r * ((long) d.rows() + d.cols() + 1);
    }
}
