package io.svdwb.engine.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Typed, range-checked reads of one JSON object of a config (the top level, or {@code rope_parameters}).
 * A present value of the wrong type or out of range is an error naming the file, the key and the value,
 * never replaced by the default: a silently defaulted {@code rms_norm_eps} changes every number.
 */
final class ConfigFields {

    private final JsonNode node;
    private final String source;
    private final String prefix;

    /**
     * @param prefix how keys of this object are named in messages: "" at the top level,
     *               {@code "rope_parameters."} inside that object
     */
    ConfigFields(JsonNode node, String source, String prefix) {
        this.node = node;
        this.source = source;
        this.prefix = prefix;
    }

    String source() {
        return source;
    }

    boolean has(String key) {
        return node.hasNonNull(key);
    }

    java.util.Iterator<String> fieldNames() {
        return node.fieldNames();
    }

    JsonNode raw(String key) {
        return node.get(key);
    }

    ModelConfigException error(String key, String problem) {
        return new ModelConfigException(source + ": " + prefix + key + " " + problem);
    }

    private ModelConfigException wrong(String key, String expected) {
        return error(key, "must be " + expected + ", got " + shortValue(node.get(key)));
    }

    /** The value as it appears in JSON, cut short so a hostile config cannot make a huge message. */
    static String shortValue(JsonNode v) {
        String text = String.valueOf(v);
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    int requiredInt(String key, int min) throws ModelConfigException {
        if (!has(key)) {
            throw new ModelConfigException(source + ": missing required field '" + prefix + key + "'");
        }
        return intIn(key, min);
    }

    int optionalInt(String key, int fallback, int min) throws ModelConfigException {
        return has(key) ? intIn(key, min) : fallback;
    }

    private int intIn(String key, int min) throws ModelConfigException {
        JsonNode v = node.get(key);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw wrong(key, "an integer (at most " + Integer.MAX_VALUE + ")");
        }
        if (v.asInt() < min) {
            throw wrong(key, "an integer >= " + min);
        }
        return v.asInt();
    }

    /** A finite number strictly above {@code exclusiveMin}. */
    double optionalDouble(String key, double fallback, double exclusiveMin) throws ModelConfigException {
        return has(key) ? doubleAbove(key, exclusiveMin) : fallback;
    }

    double requiredDouble(String key, double exclusiveMin) throws ModelConfigException {
        if (!has(key)) {
            throw new ModelConfigException(source + ": missing required field '" + prefix + key + "'");
        }
        return doubleAbove(key, exclusiveMin);
    }

    private double doubleAbove(String key, double exclusiveMin) throws ModelConfigException {
        JsonNode v = node.get(key);
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw wrong(key, "a number");
        }
        if (v.asDouble() <= exclusiveMin) {
            throw wrong(key, "a number > " + exclusiveMin);
        }
        return v.asDouble();
    }

    boolean optionalBoolean(String key, boolean fallback) throws ModelConfigException {
        if (!has(key)) {
            return fallback;
        }
        if (!node.get(key).isBoolean()) {
            throw wrong(key, "true or false");
        }
        return node.get(key).asBoolean();
    }

    String optionalString(String key, String fallback) throws ModelConfigException {
        if (!has(key)) {
            return fallback;
        }
        if (!node.get(key).isTextual()) {
            throw wrong(key, "a string");
        }
        return node.get(key).asText();
    }
}
