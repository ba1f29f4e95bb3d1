package io.svdwb.engine.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * F64 tensor data and Java doubles, converted bit for bit (little-endian, as safetensors stores it): for the engine's
 * files that must give back exactly the doubles they were written from (calibration statistics, decompositions, SoCo
 * scores and checkpoints). Write with {@link SafetensorsWriter#addRaw}, read with {@link SafetensorsFile#readRaw}.
 */
public final class DoubleBytes {

    private DoubleBytes() {
    }

    public static byte[] encode(double[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(Math.multiplyExact(values.length, Double.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asDoubleBuffer().put(values);
        return bytes.array();
    }

    public static double[] decode(byte[] bytes) {
        double[] out = new double[bytes.length / Double.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
        return out;
    }
}
