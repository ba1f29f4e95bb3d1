package io.svdwb.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the rotary settings in both forms a Hugging Face config may hold them: transformers 4's top-level
 * {@code rope_theta} + {@code rope_scaling}, and transformers 5's {@code rope_parameters} (theta, type and
 * scaling keys in one object). Where both forms are present they must agree: transformers 4 reads only
 * the first and 5 prefers the second, so a disagreement has no single right reading.
 */
final class RopeConfigReader {

    static final double DEFAULT_THETA = 10000.0;

    /** Keys each rope type reads in transformers 5.18, besides rope_type/type, rope_theta, partial_rotary_factor. */
    private static final Map<String, Set<String>> KEYS_BY_TYPE = Map.of(
            "default", Set.of(),
            "linear", Set.of("factor"),
            "dynamic", Set.of("factor", "original_max_position_embeddings"),
            "llama3", Set.of("factor", "low_freq_factor", "high_freq_factor", "original_max_position_embeddings"),
            "yarn", Set.of("factor", "attention_factor", "beta_fast", "beta_slow", "mscale", "mscale_all_dim",
                    "original_max_position_embeddings", "truncate"));

    private static final Set<String> COMMON_KEYS = Set.of("rope_type", "type", "rope_theta", "partial_rotary_factor");

    record Rope(double theta, RopeScaling scaling) { }

    private RopeConfigReader() {
    }

    static Rope read(ConfigFields top, int maxPositions) throws ModelConfigException {
        requireFullRotation(top);
        JsonNode parameters = objectOrNull(top, "rope_parameters");
        JsonNode scaling = objectOrNull(top, "rope_scaling");
        double topTheta = top.optionalDouble("rope_theta", Double.NaN, 1);
        if (parameters == null) {
            double theta = Double.isNaN(topTheta) ? DEFAULT_THETA : topTheta;
            if (scaling == null) {
                return new Rope(theta, RopeScaling.NONE);
            }
            ConfigFields s = new ConfigFields(scaling, top.source(), "rope_scaling.");
            if (!s.has("rope_type") && !s.has("type")) {
                throw top.error("rope_scaling", "has no rope_type (or type): " + ConfigFields.shortValue(scaling));
            }
            return new Rope(theta, scaling(s, maxPositions));
        }
        ConfigFields p = new ConfigFields(parameters, top.source(), "rope_parameters.");
        for (Iterator<Map.Entry<String, JsonNode>> it = parameters.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isObject()) {
                throw p.error(e.getKey(), "is a per-layer-type rotary setting, which these model types do not have");
            }
        }
        requireFullRotation(p);
        double theta = p.optionalDouble("rope_theta", Double.isNaN(topTheta) ? DEFAULT_THETA : topTheta, 1);
        if (!Double.isNaN(topTheta) && topTheta != theta) {
            throw top.error("rope_theta", topTheta + " disagrees with rope_parameters.rope_theta " + theta);
        }
        if (scaling != null && !sameScaling(scaling, parameters)) {
            throw top.error("rope_scaling", ConfigFields.shortValue(scaling) + " disagrees with rope_parameters "
                    + ConfigFields.shortValue(parameters));
        }
        if (!p.has("rope_type") && !p.has("type")) {
            Set<String> others = new TreeSet<>();
            parameters.fieldNames().forEachRemaining(others::add);
            others.removeAll(COMMON_KEYS);
            if (!others.isEmpty()) {
                throw top.error("rope_parameters", "sets " + others + " but no rope_type");
            }
            return new Rope(theta, RopeScaling.NONE);
        }
        return new Rope(theta, scaling(p, maxPositions));
    }

    private static JsonNode objectOrNull(ConfigFields top, String key) throws ModelConfigException {
        if (!top.has(key)) {
            return null;
        }
        if (!top.raw(key).isObject()) {
            throw top.error(key, "must be an object or null, got " + ConfigFields.shortValue(top.raw(key)));
        }
        return top.raw(key);
    }

    /** Partial rotary embeddings are not part of llama/mistral/qwen2/qwen3, and the engine rotates whole heads. */
    private static void requireFullRotation(ConfigFields f) throws ModelConfigException {
        if (f.has("partial_rotary_factor") && f.optionalDouble("partial_rotary_factor", 1, 0) != 1.0) {
            throw f.error("partial_rotary_factor", "= " + ConfigFields.shortValue(f.raw("partial_rotary_factor"))
                    + " is not supported (only 1.0: every head dimension rotated)");
        }
    }

    /** Equal apart from rope_theta (compared separately) and the old "type" spelling of "rope_type". */
    private static boolean sameScaling(JsonNode scaling, JsonNode parameters) {
        com.fasterxml.jackson.databind.node.ObjectNode a = ((com.fasterxml.jackson.databind.node.ObjectNode) scaling).deepCopy();
        com.fasterxml.jackson.databind.node.ObjectNode b = ((com.fasterxml.jackson.databind.node.ObjectNode) parameters).deepCopy();
        for (com.fasterxml.jackson.databind.node.ObjectNode o : java.util.List.of(a, b)) {
            if (o.has("type") && !o.has("rope_type")) {
                o.set("rope_type", o.get("type"));
            }
            o.remove("type");
            o.remove("rope_theta");
            o.remove("partial_rotary_factor");
        }
        return Objects.equals(a, b);
    }

    private static RopeScaling scaling(ConfigFields s, int maxPositions) throws ModelConfigException {
        String key = s.has("rope_type") ? "rope_type" : "type";
        String type = s.optionalString(key, "");
        Set<String> known = KEYS_BY_TYPE.get(type);
        if (known == null) {
            throw s.error(key, "'" + type + "' is not supported; supported: default, linear, dynamic, llama3, yarn");
        }
        rejectUnknownKeys(s, type, known);
        int originalMax = s.optionalInt("original_max_position_embeddings", maxPositions, 1);
        return switch (type) {
            case "linear" -> RopeScaling.linear(s.requiredDouble("factor", 0));
            case "dynamic" -> RopeScaling.dynamic(s.requiredDouble("factor", 0), Math.min(originalMax, maxPositions));
            case "llama3" -> llama3(s, originalMax);
            case "yarn" -> yarn(s, originalMax, maxPositions);
            default -> RopeScaling.NONE;
        };
    }

    private static void rejectUnknownKeys(ConfigFields s, String type, Set<String> known) throws ModelConfigException {
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (s.has(name) && !known.contains(name) && !COMMON_KEYS.contains(name)) {
                throw s.error(name, "= " + ConfigFields.shortValue(s.raw(name)) + " is not read for rope_type '" + type
                        + "' (known: " + new TreeSet<>(known) + ")");
            }
        }
    }

    private static RopeScaling llama3(ConfigFields s, int originalMax) throws ModelConfigException {
        double low = s.requiredDouble("low_freq_factor", 0);
        double high = s.requiredDouble("high_freq_factor", 0);
        if (high <= low) {
            throw s.error("high_freq_factor", "= " + high + " must exceed low_freq_factor " + low);
        }
        return RopeScaling.llama3(s.requiredDouble("factor", 0), low, high, originalMax);
    }

    /** transformers' defaults: beta_fast 32, beta_slow 1, truncate true, attention factor from mscale(factor). */
    private static RopeScaling yarn(ConfigFields s, int originalMax, int maxPositions) throws ModelConfigException {
        double factor = s.optionalDouble("factor", (double) maxPositions / originalMax, 0);
        double attention;
        if (s.has("attention_factor")) {
            attention = s.optionalDouble("attention_factor", 1, 0);
        } else {
            double mscale = s.optionalDouble("mscale", 0, Double.NEGATIVE_INFINITY);
            double mscaleAllDim = s.optionalDouble("mscale_all_dim", 0, Double.NEGATIVE_INFINITY);
            attention = mscale != 0 && mscaleAllDim != 0
                    ? yarnMscale(factor, mscale) / yarnMscale(factor, mscaleAllDim)
                    : yarnMscale(factor, 1);
        }
        return RopeScaling.yarn(factor, originalMax, s.optionalDouble("beta_fast", 32, 0),
                s.optionalDouble("beta_slow", 1, 0), attention, s.optionalBoolean("truncate", true));
    }

    private static double yarnMscale(double scale, double mscale) {
        return scale <= 1 ? 1.0 : 0.1 * mscale * Math.log(scale) + 1.0;
    }
}
