package io.svdwb.engine.model;

import io.svdwb.engine.safetensors.TensorStore;
import io.svdwb.engine.progress.StageClock;
import io.svdwb.engine.tensor.NativeArrays;
import java.io.IOException;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a stored tensor straight into an off-heap float32 ND4J array through a small reusable chunk,
 * so loading a 45M-element matrix never also holds a 180 MB copy on the Java heap: what keeps one
 * LLaMA-7B layer within a few GB of resident memory.
 */
final class OffHeapTensors {

    private static final Logger LOG = LoggerFactory.getLogger(OffHeapTensors.class);

    private OffHeapTensors() {
    }

    static INDArray read(TensorStore store, String name) throws IOException {
        return read(store, name, null);
    }

    /** As {@link #read(TensorStore, String)}, into an array of {@code pool} when it holds one of the right shape. */
    static INDArray read(TensorStore store, String name, WeightPool pool) throws IOException {
        long start = System.nanoTime();
        try {
            return readTimed(store, name, pool);
        } finally {
            StageClock.add(StageClock.Stage.LOAD, start);
            logRead(name, start);
        }
    }

    private static INDArray readTimed(TensorStore store, String name, WeightPool pool) throws IOException {
        long[] shape = store.info(name).shape();
        long total = store.info(name).elementCount();
        INDArray pooled = pool == null ? null : pool.take(shape);
        INDArray out = pooled != null ? pooled : NativeArrays.uninitializedFloat(shape);
        FloatPointer target = (FloatPointer) out.data().addressPointer();
        // decoded straight into the array's native memory and checked for NaN/Inf on the way
        long nonFinite = store.readFloatsCountingNonFinite(name, target.position(0).limit(total).asBuffer());
        if (nonFinite > 0) {
            NativeArrays.free(out);
            throw nonFiniteError(name, nonFinite, total);
        }
        return out;
    }

    /** Reads a small tensor (norms, embeddings) onto the heap, with the same finiteness check. */
    static float[] readSmall(TensorStore store, String name) throws IOException {
        long start = System.nanoTime();
        float[] values = store.readFloats(name);
        long nonFinite = countNonFinite(values, values.length);
        StageClock.add(StageClock.Stage.LOAD, start);
        logRead(name, start);
        if (nonFinite > 0) {
            throw nonFiniteError(name, nonFinite, values.length);
        }
        return values;
    }

    /** Where a load's time goes, tensor by tensor (-Dsvdwb.log.level=DEBUG): how a slow checkpoint is profiled. */
    private static void logRead(String name, long start) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("read {} in {} s", name, String.format("%.3f", (System.nanoTime() - start) / 1e9));
        }
    }

    private static long countNonFinite(float[] values, int count) {
        // every weight is checked once per load: on all cores, in slices of 64K
        int slice = 1 << 16;
        return java.util.stream.IntStream.range(0, (count + slice - 1) / slice).parallel()
                .mapToLong(s -> io.svdwb.engine.safetensors.HalfFloats.countNonFinite(values, s * slice,
                        Math.min(slice, count - s * slice)))
                .sum();
    }

    /** NaN or Inf weights make every result meaningless: refuse them by name rather than report NaN perplexity. */
    private static ModelConfigException nonFiniteError(String name, long nonFinite, long total) {
        return nonFiniteError(name, nonFinite, "among " + total);
    }

    /** As above, {@code where} saying which part of the tensor was read ("in row 8 ..."). */
    static ModelConfigException nonFiniteError(String name, long nonFinite, String where) {
        return new ModelConfigException("tensor " + name + " holds " + nonFinite + " non-finite values (NaN or Inf) " + where
                + "; the checkpoint is corrupt or was saved after a diverged update");
    }
}
