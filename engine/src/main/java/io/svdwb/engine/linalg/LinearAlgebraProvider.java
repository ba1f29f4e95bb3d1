package io.svdwb.engine.linalg;

/**
 * A {@link LinearAlgebra} backend that lives outside the engine (the cuda module), found through
 * {@link java.util.ServiceLoader} so that the engine does not depend on it and runs without it.
 */
public interface LinearAlgebraProvider {

    /** The device kind this provider serves, as {@code --device} names it (e.g. "cuda"). */
    String kind();

    /**
     * The backend on device {@code index} of this kind.
     *
     * @throws RuntimeException naming what is missing (a library, a driver, the device) when it cannot start
     */
    LinearAlgebra open(int index);

    /**
     * How many devices of this kind the machine has.
     *
     * @throws RuntimeException naming what is missing (a library, a driver) when none can be used
     */
    int deviceCount();
}
