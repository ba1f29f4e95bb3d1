package io.svdwb.cuda;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.linalg.LinearAlgebraProvider;

/** Serves {@code --device cuda[:N]}: one backend per device for the whole process (handles are costly to create). */
public final class CudaProvider implements LinearAlgebraProvider {

    private static final java.util.Map<Integer, CudaLinearAlgebra> OPEN = new java.util.HashMap<>();

    @Override
    public String kind() {
        return "cuda";
    }

    @Override
    public int deviceCount() {
        synchronized (OPEN) {
            if (!OPEN.isEmpty()) {
                return OPEN.values().iterator().next().runtime().deviceCount();
            }
            return CudaLinearAlgebra.countDevices(CudaLinearAlgebra.libraryDirectories());
        }
    }

    @Override
    public LinearAlgebra open(int index) {
        synchronized (OPEN) {
            return OPEN.computeIfAbsent(index, CudaLinearAlgebra::open);
        }
    }
}
