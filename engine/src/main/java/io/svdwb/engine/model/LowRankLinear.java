package io.svdwb.engine.model;

import io.svdwb.engine.linalg.LinearAlgebra;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A rank-r replacement {@code W' = A B} with A [out, r] and B [r, in], computed as {@code A (B x) + b}
 * so the dense product is never formed. Storing it costs r (out + in) numbers. Built from int8 factors
 * (docs/METHODS.md §2.6), it computes with their dequantised float32 values and keeps the codes and scales for export.
 */
public final class LowRankLinear implements Linear {

    private final INDArray a;
    private final INDArray b;
    private final INDArray bias;
    private final LinearAlgebra linalg;
    /** The int8 codes and scales A and B are the dequantisation of; null for float factors. */
    private final io.svdwb.engine.compress.quant.QuantizedFactors quantized;
    private volatile io.svdwb.engine.linalg.ResidentMatrix residentA;
    private volatile io.svdwb.engine.linalg.ResidentMatrix residentB;

    public LowRankLinear(INDArray a, INDArray b, INDArray bias, LinearAlgebra linalg) {
        this(a, b, bias, linalg, null);
    }

    /** The pair that int8 {@code factors} stand for: A and B are their dequantised float32 values (§2.6). */
    public LowRankLinear(io.svdwb.engine.compress.quant.QuantizedFactors factors, INDArray bias, LinearAlgebra linalg) {
        this(io.svdwb.engine.tensor.NdArrays.fromFloats(factors.a().dequantize(), factors.a().rows(), factors.a().cols()),
                io.svdwb.engine.tensor.NdArrays.fromFloats(factors.b().dequantize(), factors.b().rows(), factors.b().cols()),
                bias, linalg, factors);
    }

    private LowRankLinear(INDArray a, INDArray b, INDArray bias, LinearAlgebra linalg,
                          io.svdwb.engine.compress.quant.QuantizedFactors quantized) {
        if (a.rank() != 2 || b.rank() != 2 || a.columns() != b.rows()) {
            throw new IllegalArgumentException("factors must be A [out, r] and B [r, in], got "
                    + java.util.Arrays.toString(a.shape()) + " and " + java.util.Arrays.toString(b.shape()));
        }
        if (bias != null && bias.length() != a.rows()) {
            throw new IllegalArgumentException("bias has " + bias.length() + " entries, A has " + a.rows() + " rows");
        }
        this.a = a;
        this.b = b;
        this.bias = bias == null ? null : bias.reshape(1, a.rows());
        this.linalg = linalg;
        this.quantized = quantized;
    }

    /** The int8 codes and scales this pair dequantises, or null for float factors. */
    public io.svdwb.engine.compress.quant.QuantizedFactors quantized() {
        return quantized;
    }

    @Override
    public INDArray forward(INDArray x) {
        makeResident();
        INDArray inner = linalg.matmul(x, false, residentB, true);
        INDArray y = linalg.matmul(inner, false, residentA, true);
        inner.close();
        return bias == null ? y : y.addiRowVector(bias);
    }

    /** A [out, r] and B [r, in] where the backend computes (made once and kept). */
    public io.svdwb.engine.linalg.ResidentMatrix[] residentFactors() {
        makeResident();
        return new io.svdwb.engine.linalg.ResidentMatrix[] {residentA, residentB};
    }

    /** The factors where the backend computes, made once: a GPU uploads them once, not for every batch. */
    private synchronized void makeResident() {
        if (residentB == null) {
            residentA = linalg.resident(a);
            residentB = linalg.resident(b);
        }
    }

    public int rank() {
        return (int) a.columns();
    }

    public INDArray a() {
        return a;
    }

    public INDArray b() {
        return b;
    }

    public INDArray bias() {
        return bias;
    }

    public LinearAlgebra linearAlgebra() {
        return linalg;
    }

    @Override
    public int inFeatures() {
        return (int) b.columns();
    }

    @Override
    public int outFeatures() {
        return (int) a.rows();
    }

    @Override
    public long storedWeightParameters() {
        return a.length() + b.length();
    }
}
