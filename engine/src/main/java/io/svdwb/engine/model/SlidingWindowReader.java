package io.svdwb.engine.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which attention window a config sets, as transformers 5.18 reads it per family: mistral slides every
 * layer when {@code sliding_window} is not null; qwen2 and qwen3 only when {@code use_sliding_window}, on
 * the layers {@code layer_types} marks "sliding_attention" (by default those from {@code max_window_layers}
 * on); llama has no window. The engine does not implement the window, so it reports the window and refuses
 * longer sequences ({@link ModelConfig#requireSupportedSequenceLength}), where the window has no effect:
 * a query at position q sees keys k with q - k < window.
 */
final class SlidingWindowReader {

    private SlidingWindowReader() {
    }

    /** The window of the sliding layers, or 0 when no layer slides. */
    static int read(ConfigFields f, String type) throws ModelConfigException {
        return switch (type) {
            case "mistral" -> f.optionalInt("sliding_window", 0, 1);
            case "qwen2", "qwen3" -> qwenWindow(f);
            default -> 0;
        };
    }

    private static int qwenWindow(ConfigFields f) throws ModelConfigException {
        boolean enabled = f.optionalBoolean("use_sliding_window", false);
        int window = f.optionalInt("sliding_window", 4096, 1);
        int layers = f.requiredInt("num_hidden_layers", 1);
        int firstSliding = f.optionalInt("max_window_layers", 28, 0);
        if (f.has("layer_types")) {
            return enabled && anySliding(f) ? window : 0;
        }
        return enabled && firstSliding < layers ? window : 0;
    }

    private static boolean anySliding(ConfigFields f) throws ModelConfigException {
        JsonNode types = f.raw("layer_types");
        if (!types.isArray()) {
            throw f.error("layer_types", "must be a list, got " + ConfigFields.shortValue(types));
        }
        boolean sliding = false;
        for (JsonNode t : types) {
            String name = t.asText("");
            if (!t.isTextual() || !(name.equals("full_attention") || name.equals("sliding_attention"))) {
                throw f.error("layer_types", "holds " + ConfigFields.shortValue(t)
                        + "; known: full_attention, sliding_attention");
            }
            sliding |= name.equals("sliding_attention");
        }
        return sliding;
    }
}
