package io.svdwb.engine.tensor;

import java.lang.ref.Cleaner;
import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Off-heap FLOAT arrays whose memory is not written when it is allocated. ND4J's {@code createUninitialized} writes
 * every page of a new array before it returns (measured: 0.18 s for 400 MB, on one core), so a weight decoded into it
 * right after is written twice. Memory from {@code malloc} is faulted in by the decode itself, on every core that
 * decodes: a LLaMA-7B LM head (32000 x 4096) loads in 0.16 s instead of 0.29 s (docs/BENCHMARKS.md).
 *
 * <p>The memory is freed by {@link #free(INDArray)}, or when the array becomes unreachable if nobody calls it.
 */
public final class NativeArrays {

    private static final Cleaner CLEANER = Cleaner.create();
    private static final long CACHE_LINE = 64;

    private NativeArrays() {
    }

    /** A row-major FLOAT array of {@code shape} over fresh native memory with unspecified contents. */
    public static INDArray uninitializedFloat(long... shape) {
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, d);
        }
        long bytes = Math.multiplyExact(Math.max(1, count), (long) Float.BYTES);
        // malloc aligns large blocks to 16 bytes only; BLAS reads whole cache lines, so the array starts on one
        Pointer memory = Pointer.malloc(bytes + CACHE_LINE - 1);
        if (memory == null || memory.isNull()) {
            throw new OutOfMemoryError("cannot allocate " + bytes + " bytes of native memory for a float32 array of shape "
                    + Arrays.toString(shape));
        }
        long aligned = (memory.address() + CACHE_LINE - 1) & -CACHE_LINE;
        OwnedFloats floats = new OwnedFloats(aligned, memory.address(), count);
        DataBuffer buffer = Nd4j.createBuffer(floats, DataType.FLOAT, count, FloatIndexer.create(floats));
        return Nd4j.create(buffer, shape, Nd4j.getStrides(shape, 'c'), 0, 'c');
    }

    /**
     * Closes {@code array} and frees its memory now if it came from {@link #uninitializedFloat}; an array ND4J allocated
     * is only closed (ND4J frees it). Not for views: freeing a view's memory would pull it from under its parent.
     */
    public static void free(INDArray array) {
        Pointer memory = array.data().pointer();
        array.close();
        if (memory instanceof OwnedFloats owned) {
            owned.cleanable.clean();
        }
    }

    /** Whether {@code array}'s memory came from {@link #uninitializedFloat} (for tests). */
    static boolean isOwned(INDArray array) {
        return array.data().pointer() instanceof OwnedFloats;
    }

    /** The malloc'd memory of one array, freed once: by {@link #free} or by the cleaner, whichever comes first. */
    private static final class OwnedFloats extends FloatPointer {
        private final Cleaner.Cleanable cleanable;

        OwnedFloats(long address, long allocation, long count) {
            super(new Address(address));
            capacity(count);
            limit(count);
            cleanable = CLEANER.register(this, releaser(allocation));
        }

        // static, so the cleaning action does not hold the pointer and keep it reachable forever
        private static Runnable releaser(long address) {
            return () -> Pointer.free(new Address(address));
        }
    }

    /** A bare address, for handing malloc'd memory to JavaCPP's constructors and to {@code free}. */
    private static final class Address extends Pointer {
        Address(long address) {
            this.address = address;
        }
    }
}
