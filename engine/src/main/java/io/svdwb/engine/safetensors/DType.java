package io.svdwb.engine.safetensors;

/** Tensor element types the engine reads and writes, with their safetensors header names. */
public enum DType {
    F32(4), F16(2), BF16(2);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    public int byteSize() {
        return byteSize;
    }

    /** The header spelling ("F32", "F16", "BF16"), which is case-sensitive in the format. */
    public String headerName() {
        return name();
    }
}
