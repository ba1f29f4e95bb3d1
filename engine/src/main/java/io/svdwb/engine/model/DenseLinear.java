package io.svdwb.engine.model;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.tensor.NativeArrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The original, uncompressed projection: weight [out, in] as stored by Hugging Face, optional bias [out]. */
public final class DenseLinear implements Linear {

    private final INDArray weight;
    private final INDArray bias;
    private final LinearAlgebra linalg;
    private boolean released;
    private io.svdwb.engine.linalg.ResidentMatrix resident;

    public DenseLinear(INDArray weight, INDArray bias, LinearAlgebra linalg) {
        if (weight.rank() != 2) {
            throw new IllegalArgumentException("weight must be a matrix");
        }
        if (bias != null && bias.length() != weight.rows()) {
            throw new IllegalArgumentException("bias has " + bias.length() + " entries, weight has " + weight.rows() + " rows");
        }
        this.weight = weight;
        this.bias = bias == null ? null : bias.reshape(1, weight.rows());
        this.linalg = linalg;
    }

    @Override
    public INDArray forward(INDArray x) {
        INDArray y = linalg.matmul(x, false, residentWeight(), true);
        return bias == null ? y : y.addiRowVector(bias);
    }

    /** The weight where the backend computes: made once, so a GPU uploads it once for all the batches of a pass. */
    public synchronized io.svdwb.engine.linalg.ResidentMatrix residentWeight() {
        if (released) {
            throw new IllegalStateException("a released projection was used");
        }
        if (resident == null) {
            resident = linalg.resident(weight);
        }
        return resident;
    }

    public INDArray weight() {
        return weight;
    }

    public INDArray bias() {
        return bias;
    }

    /**
     * Frees the off-heap weight memory now instead of at some later garbage collection; used when
     * layers are streamed, so a 7B-sized layer does not linger while the next one loads.
     */
    public void release() {
        releaseTo(null);
    }

    /** As {@link #release()}, the weight's memory going to {@code pool} for a later weight (freed if null). */
    synchronized void releaseTo(WeightPool pool) {
        if (released) {
            return; // a second release must not free or pool the same memory twice
        }
        released = true;
        if (resident != null) {
            resident.close();
            resident = null;
        }
        if (pool == null) {
            NativeArrays.free(weight);
        } else {
            pool.give(weight);
        }
        if (bias != null) {
            bias.close();
        }
    }

    @Override
    public int inFeatures() {
        return (int) weight.columns();
    }

    @Override
    public int outFeatures() {
        return (int) weight.rows();
    }

    @Override
    public long storedWeightParameters() {
        return weight.length();
    }
}
