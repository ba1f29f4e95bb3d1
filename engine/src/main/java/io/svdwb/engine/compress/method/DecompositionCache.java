package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.model.MatrixSpec;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Full-rank decompositions by recipe and matrix, computed once: a new ratio only re-slices them
 * ({@link LowRankDecomposition#truncate}), which is what makes the workbench's sliders cheap. Bounded by
 * bytes (least recently used out first) so a 7B model's 224 decompositions cannot fill the heap.
 */
public final class DecompositionCache {

    /** Default bound: a quarter of the maximum heap. */
    public static DecompositionCache withDefaultBound() {
        return new DecompositionCache(Runtime.getRuntime().maxMemory() / 4);
    }

    private final long maxBytes;
    private final LinkedHashMap<String, LowRankDecomposition> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;

    public DecompositionCache(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("cache bound must be positive, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** The cached decomposition, or the one {@code compute} returns (computed outside the lock, then kept). */
    public LowRankDecomposition get(DecompositionRecipe recipe, MatrixSpec matrix, Supplier<LowRankDecomposition> compute) {
        String key = recipe.key() + " | " + matrix.tensorName();
        synchronized (this) {
            LowRankDecomposition cached = entries.get(key);
            if (cached != null) {
                hits++;
                return cached;
            }
            misses++;
        }
        LowRankDecomposition computed = compute.get();
        synchronized (this) {
            LowRankDecomposition raced = entries.get(key);
            if (raced != null) {
                return raced;
            }
            entries.put(key, computed);
            bytes += sizeOf(computed);
            evictOverBound();
            return computed;
        }
    }

    public synchronized boolean contains(DecompositionRecipe recipe, MatrixSpec matrix) {
        return entries.containsKey(recipe.key() + " | " + matrix.tensorName());
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }

    public synchronized void clear() {
        entries.clear();
        bytes = 0;
    }

    private void evictOverBound() {
        Iterator<Map.Entry<String, LowRankDecomposition>> it = entries.entrySet().iterator();
        // keep at least the newest entry, even if it alone exceeds the bound
        while (bytes > maxBytes && entries.size() > 1 && it.hasNext()) {
            bytes -= sizeOf(it.next().getValue());
            it.remove();
        }
    }

    static long sizeOf(LowRankDecomposition d) {
        long r = d.fullRank();
        return 8L * r * ((long) d.rows() + d.cols() + 1);
    }
}
