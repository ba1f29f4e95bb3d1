package io.svdwb.cuda;

import io.svdwb.engine.linalg.ResidentMatrix;
import java.lang.ref.Cleaner;

/**
 * A host matrix uploaded once to the GPU, row-major as it was on the host (so cuBLAS sees its transpose), for the many
 * products that read it. Closing frees the device memory now; a matrix nobody closed is freed when it becomes
 * unreachable, so a projection replaced without being released does not hold device memory for the whole run.
 */
final class DeviceMatrix implements ResidentMatrix {

    private static final Cleaner CLEANER = Cleaner.create();

    private final CudaLinearAlgebra owner;
    private final DeviceBuffer buffer;
    private final long rows;
    private final long columns;
    private final boolean single;
    private final Cleaner.Cleanable cleanable;

    DeviceMatrix(CudaLinearAlgebra owner, DeviceBuffer buffer, long rows, long columns, boolean single) {
        this.owner = owner;
        this.buffer = buffer;
        this.rows = rows;
        this.columns = columns;
        this.single = single;
        this.cleanable = CLEANER.register(this, buffer::close);
    }

    CudaLinearAlgebra owner() {
        return owner;
    }

    long address() {
        return buffer.address();
    }

    boolean single() {
        return single;
    }

    @Override
    public Location location() {
        return Location.DEVICE;
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public long columns() {
        return columns;
    }

    @Override
    public void close() {
        cleanable.clean();
    }
}
