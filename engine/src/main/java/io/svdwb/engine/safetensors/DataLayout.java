package io.svdwb.engine.safetensors;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Checks that the tensors tile the data section exactly: sorted by offset they start at 0, follow each other
 * with no gap or overlap, and the last one ends at the end of the file. A shortfall means a truncated
 * download; bytes left over could hide a second file format (a polyglot), so both are refused.
 */
final class DataLayout {

    private DataLayout() {
    }

    /** The entries in data order (ties between empty tensors keep header order). */
    static List<TensorEntry> check(Path path, List<TensorEntry> entries, long dataSize) throws SafetensorsException {
        TensorEntry furthest = null;
        for (TensorEntry e : entries) {
            if (furthest == null || e.end() > furthest.end()) {
                furthest = e;
            }
        }
        if (furthest != null && furthest.end() > dataSize) {
            throw new SafetensorsException(path, "file is " + (furthest.end() - dataSize)
                    + " bytes shorter than its header says (truncated download?): tensor '" + furthest.name()
                    + "' ends at data offset " + furthest.end() + " but only " + dataSize + " data bytes follow the header");
        }
        List<TensorEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
        long expected = 0;
        TensorEntry previous = null;
        for (TensorEntry e : sorted) {
            if (e.begin() > expected) {
                String after = previous == null ? "the start of the data section" : "tensor '" + previous.name() + "'";
                throw new SafetensorsException(path, "gap of " + (e.begin() - expected) + " unused bytes between "
                        + after + " (ends at data offset " + expected + ") and tensor '" + e.name()
                        + "' (begins at " + e.begin() + "); tensors must be stored back to back");
            }
            if (e.begin() < expected) {
                throw new SafetensorsException(path, "tensor '" + e.name() + "' (data offsets [" + e.begin() + ", "
                        + e.end() + "]) overlaps tensor '" + previous.name() + "', which ends at data offset " + expected);
            }
            expected = e.end();
            previous = e;
        }
        if (expected < dataSize) {
            throw new SafetensorsException(path, (dataSize - expected) + " trailing bytes after the last tensor's data"
                    + " (which ends at data offset " + expected + "); a safetensors file must end where its last tensor ends");
        }
        return sorted;
    }
}
