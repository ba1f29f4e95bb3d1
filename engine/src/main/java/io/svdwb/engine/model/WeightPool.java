package io.svdwb.engine.model;

import io.svdwb.engine.tensor.NativeArrays;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The off-heap weight arrays a streamed layer gave back, kept for the next layer of the same pass: a fresh array costs
 * a page fault per 4 KB on first write (0.07 s per 11008 x 4096 float32, half of a LLaMA-7B layer's load), and a pass
 * asks for the same shapes layer after layer. The pool holds at most {@code capacity} arrays and only from one layer's
 * release to the next layer's load ({@link LlamaModel} drains it then, and at the end of a pass), so it never adds a
 * layer's weights to what a pass between layers or the decomposition after it holds.
 */
final class WeightPool {

    private final int capacity;
    private final ArrayDeque<INDArray> free = new ArrayDeque<>();

    WeightPool(int capacity) {
        this.capacity = capacity;
    }

    /** A pooled float32 C-order matrix of exactly {@code shape}, taken out of the pool, or null if there is none. */
    synchronized INDArray take(long[] shape) {
        // the most recently given back first: its pages are the likeliest to be warm
        for (Iterator<INDArray> it = free.descendingIterator(); it.hasNext(); ) {
            INDArray candidate = it.next();
            if (Arrays.equals(candidate.shape(), shape)) {
                it.remove();
                return candidate;
            }
        }
        return null;
    }

    /** Takes back an array its owner will not touch again: kept when it can hold a later weight, freed otherwise. */
    synchronized void give(INDArray array) {
        if (free.stream().anyMatch(pooled -> pooled == array)) {
            return; // given twice: handing the same memory to two weights would corrupt both
        }
        boolean reusable = array.dataType() == DataType.FLOAT && array.rank() == 2 && array.ordering() == 'c'
                && !array.isView() && array.offset() == 0 && array.data().length() == array.length();
        if (!reusable || capacity == 0) {
            NativeArrays.free(array);
            return;
        }
        if (free.size() == capacity) {
            NativeArrays.free(free.removeFirst());
        }
        free.addLast(array);
    }

    /** Frees every pooled array now. */
    synchronized void drain() {
        free.forEach(NativeArrays::free);
        free.clear();
    }

    synchronized int size() {
        return free.size();
    }
}
