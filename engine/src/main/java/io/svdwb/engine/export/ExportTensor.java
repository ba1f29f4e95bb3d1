package io.svdwb.engine.export;

import io.svdwb.engine.safetensors.DType;
import io.svdwb.engine.safetensors.SafetensorsWriter;

/**
 * One tensor of the exported file: its name, dtype, shape and where its bytes come from. The source is
 * asked twice (once to write, once to verify the written file), so it must give the same bytes each time.
 */
record ExportTensor(String name, DType dtype, long[] shape, SafetensorsWriter.RawSource bytes) {

    long byteLength() {
        long n = dtype.byteSize();
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    long elementCount() {
        return byteLength() / dtype.byteSize();
    }
}
