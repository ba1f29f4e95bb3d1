package io.svdwb.engine.compress.method;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The values of one method's options: every option the method declares, each at its default unless set. Immutable;
 * {@link #with(String, String)} gives a copy. Stored (sessions, manifests, sweep JSON) as {@link #asText()}, the same
 * words the command line takes.
 */
public final class MethodSettings {

    private final List<MethodOption> options;
    private final Map<String, Object> values;

    private MethodSettings(List<MethodOption> options, Map<String, Object> values) {
        this.options = options;
        this.values = values;
    }

    /** Every option at its default. */
    public static MethodSettings defaults(List<MethodOption> options) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (MethodOption option : options) {
            if (values.put(option.name(), option.defaultValue()) != null) {
                throw new IllegalArgumentException("option " + option.name() + " is declared twice");
            }
        }
        return new MethodSettings(List.copyOf(options), values);
    }

    public List<MethodOption> options() {
        return options;
    }

    public boolean declares(String name) {
        return values.containsKey(name);
    }

    /** A copy with option {@code name} set from its text form; the error names the option and what it takes. */
    public MethodSettings with(String name, String text) {
        MethodOption option = option(name);
        return withValue(option, option.parse(text));
    }

    /** A copy with every entry of {@code texts} that this method declares set; the others are ignored. */
    public MethodSettings withAll(Map<String, String> texts) {
        MethodSettings out = this;
        for (Map.Entry<String, String> e : texts.entrySet()) {
            if (declares(e.getKey())) {
                out = out.with(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    public MethodSettings with(MethodOption.Number option, double value) {
        return withValue(option, option.check(value));
    }

    public MethodSettings with(MethodOption.Choice option, String value) {
        return withValue(option, option.parse(value));
    }

    public MethodSettings with(MethodOption.Choice onOff, boolean on) {
        return withValue(onOff, onOff.parse(on ? "on" : "off"));
    }

    private MethodSettings withValue(MethodOption option, Object value) {
        option(option.name());
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(option.name(), value);
        return new MethodSettings(options, copy);
    }

    public double number(MethodOption.Number option) {
        return ((java.lang.Number) value(option)).doubleValue();
    }

    public int integer(MethodOption.Number option) {
        return Math.toIntExact(((java.lang.Number) value(option)).longValue());
    }

    public long longValue(MethodOption.Number option) {
        return ((java.lang.Number) value(option)).longValue();
    }

    public String choice(MethodOption.Choice option) {
        return (String) value(option);
    }

    /** For an on/off choice: whether it is on. */
    public boolean on(MethodOption.Choice onOff) {
        return "on".equals(value(onOff));
    }

    public double[] numbers(MethodOption.Numbers option) {
        return ((double[]) value(option)).clone();
    }

    public String text(MethodOption.Text option) {
        return (String) value(option);
    }

    /** The option's value in the words the command line takes. */
    public String text(String name) {
        MethodOption option = option(name);
        return option.format(values.get(name));
    }

    /** Every option's value as text, in declaration order: what sessions, manifests and sweep JSON store. */
    public Map<String, String> asText() {
        Map<String, String> out = new LinkedHashMap<>();
        for (MethodOption option : options) {
            out.put(option.name(), option.format(values.get(option.name())));
        }
        return Collections.unmodifiableMap(out);
    }

    private Object value(MethodOption option) {
        Object value = values.get(option.name());
        if (value == null || !option(option.name()).equals(option)) {
            throw new IllegalArgumentException("option " + option.name() + " is not one of this method's");
        }
        return value;
    }

    private MethodOption option(String name) {
        for (MethodOption option : options) {
            if (option.name().equals(name)) {
                return option;
            }
        }
        throw new IllegalArgumentException("unknown option --" + name + "; this method takes "
                + (options.isEmpty() ? "none" : String.join(", ", options.stream().map(o -> "--" + o.name()).toList())));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MethodSettings s && s.asText().equals(asText());
    }

    @Override
    public int hashCode() {
        return Objects.hash(asText());
    }

    @Override
    public String toString() {
        return asText().toString();
    }
}
