package io.svdwb.engine.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One tensor's header entry, checked on its own: a supported dtype, a shape of non-negative integers whose
 * byte size fits a long, and data offsets (relative to the start of the data section) spanning exactly that
 * many bytes. Whether the entries tile the data section is {@link DataLayout}'s job.
 */
record TensorEntry(String name, DType dtype, long[] shape, long begin, long end) {

    private static final Set<String> KEYS = Set.of("dtype", "shape", "data_offsets");

    /** Every dtype the safetensors format defines; those not in {@link DType} are valid but unsupported here. */
    private static final List<String> FORMAT_DTYPES = List.of("BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0",
            "F4", "F6_E2M3", "F6_E3M2", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "C64", "F64", "I64", "U64");

    static TensorEntry parse(Path path, String name, JsonNode node) throws SafetensorsException {
        if (!node.isObject()) {
            throw new SafetensorsException(path, "entry of tensor '" + name + "' must be a JSON object, found " + kind(node));
        }
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!KEYS.contains(key)) {
                throw new SafetensorsException(path, "tensor '" + name + "' has an unknown key '" + key
                        + "' (allowed: dtype, shape, data_offsets)");
            }
        }
        DType dtype = parseDType(path, name, required(path, name, node, "dtype"));
        long[] shape = parseIntegers(path, name, "shape", required(path, name, node, "shape"));
        long[] offsets = parseIntegers(path, name, "data_offsets", required(path, name, node, "data_offsets"));
        if (offsets.length != 2) {
            throw new SafetensorsException(path, "tensor '" + name + "' data_offsets must be [begin, end], found "
                    + offsets.length + " numbers");
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw new SafetensorsException(path, "tensor '" + name + "' data_offsets [" + begin + ", " + end
                    + "] end before they begin");
        }
        long byteSize = byteSize(path, name, dtype, shape);
        if (end - begin != byteSize) {
            throw new SafetensorsException(path, "tensor '" + name + "' data_offsets [" + begin + ", " + end + "] span "
                    + (end - begin) + " bytes, but shape " + Arrays.toString(shape) + " of " + dtype + " needs " + byteSize);
        }
        return new TensorEntry(name, dtype, shape, begin, end);
    }

    private static JsonNode required(Path path, String name, JsonNode node, String key) throws SafetensorsException {
        JsonNode value = node.get(key);
        if (value == null) {
            throw new SafetensorsException(path, "tensor '" + name + "' has no '" + key + "'");
        }
        return value;
    }

    private static DType parseDType(Path path, String name, JsonNode node) throws SafetensorsException {
        if (!node.isTextual()) {
            throw new SafetensorsException(path, "tensor '" + name + "' dtype must be a string, found " + kind(node));
        }
        String text = node.textValue();
        Optional<DType> supported = DType.fromHeaderName(text);
        if (supported.isPresent()) {
            return supported.get();
        }
        String supportedList = Arrays.toString(DType.values());
        if (FORMAT_DTYPES.contains(text)) {
            throw new SafetensorsException(path, "tensor '" + name + "' has unsupported dtype " + text
                    + " (this reader supports " + supportedList + ")");
        }
        for (String known : FORMAT_DTYPES) {
            if (known.equalsIgnoreCase(text)) {
                throw new SafetensorsException(path, "tensor '" + name + "' has unknown dtype '" + text
                        + "' (dtype names are case-sensitive: did you mean '" + known + "'?)");
            }
        }
        throw new SafetensorsException(path, "tensor '" + name + "' has unknown dtype '" + text
                + "' (supported: " + supportedList + ")");
    }

    private static long[] parseIntegers(Path path, String name, String key, JsonNode node) throws SafetensorsException {
        if (!node.isArray()) {
            throw new SafetensorsException(path, "tensor '" + name + "' " + key + " must be an array, found " + kind(node));
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber()) {
                throw new SafetensorsException(path, "tensor '" + name + "' " + key + " entry " + v
                        + " is not an integer");
            }
            if (!v.canConvertToLong() || v.longValue() < 0) {
                throw new SafetensorsException(path, "tensor '" + name + "' " + key + " entry " + v
                        + " is out of range (must be between 0 and " + Long.MAX_VALUE + ")");
            }
            values[i] = v.longValue();
        }
        return values;
    }

    private static long byteSize(Path path, String name, DType dtype, long[] shape) throws SafetensorsException {
        try {
            long elements = 1;
            for (long d : shape) {
                elements = Math.multiplyExact(elements, d);
            }
            return Math.multiplyExact(elements, dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new SafetensorsException(path, "tensor '" + name + "' shape " + Arrays.toString(shape)
                    + " overflows a 64-bit count (elements x bytes per element)");
        }
    }

    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
