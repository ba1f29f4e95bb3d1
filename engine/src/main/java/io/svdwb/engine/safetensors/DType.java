package io.svdwb.engine.safetensors;

import java.util.Optional;

/**
 * Tensor element types the engine reads and writes, with their safetensors header names. F64 exists for
 * statistics that must keep double precision (calibration Gram matrices): write it with
 * {@link SafetensorsWriter#addRaw} and read it bit for bit with {@link SafetensorsFile#readRaw}; the float
 * paths narrow it to float32 like any other type.
 */
public enum DType {
    F32(4), F16(2), BF16(2), F64(8),
    /** Signed 8-bit integers: the codes of int8 low-rank factors (docs/METHODS.md §2.6); the float paths read them as their values. */
    I8(1);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    public int byteSize() {
        return byteSize;
    }

    /** The header spelling ("F32", "F16", "BF16", "F64", "I8"), which is case-sensitive in the format. */
    public String headerName() {
        return name();
    }

    /** The type spelled exactly {@code headerName} in a header, if the engine supports it. */
    public static Optional<DType> fromHeaderName(String headerName) {
        for (DType t : values()) {
            if (t.headerName().equals(headerName)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
