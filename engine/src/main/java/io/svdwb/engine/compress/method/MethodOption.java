package io.svdwb.engine.compress.method;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One knob a method declares. Its {@link #name()} is the command-line flag without the dashes and the key under which
 * sessions and manifests store it, so the CLI, the workbench, sessions and manifests all read the knob from the method
 * that owns it instead of naming it themselves.
 */
public sealed interface MethodOption permits MethodOption.Number, MethodOption.Choice, MethodOption.Numbers, MethodOption.Text {

    String name();

    String description();

    Object defaultValue();

    /** The value of {@code text} (a command-line argument or a stored value); the error names the option and what it takes. */
    Object parse(String text);

    /** The inverse of {@link #parse(String)}. */
    default String format(Object value) {
        return String.valueOf(value);
    }

    /** A number in [min, max]; {@code integral} ones are stored as {@code long}. */
    record Number(String name, double defaultNumber, double min, double max, boolean integral, String description)
            implements MethodOption {
        public Number {
            checkName(name);
            if (!(min <= defaultNumber && defaultNumber <= max)) {
                throw new IllegalArgumentException(name + ": default " + defaultNumber + " is outside [" + min + ", " + max + "]");
            }
        }

        public static Number real(String name, double defaultValue, double min, double max, String description) {
            return new Number(name, defaultValue, min, max, false, description);
        }

        public static Number integer(String name, long defaultValue, long min, long max, String description) {
            return new Number(name, defaultValue, min, max, true, description);
        }

        @Override
        public Object parse(String text) {
            double value;
            try {
                value = Double.parseDouble(text.trim());
            } catch (NumberFormatException | NullPointerException e) {
                throw new IllegalArgumentException("--" + name + " takes a number, got '" + text + "'");
            }
            return check(value);
        }

        /** {@code value} as this option stores it, after the range check. */
        public Object check(double value) {
            if (!(value >= min && value <= max) || (integral && value != Math.rint(value))) {
                throw new IllegalArgumentException("--" + name + " must be " + (integral ? "an integer " : "") + "in ["
                        + format(min) + ", " + format(max) + "], got " + (integral && value == Math.rint(value) ? text(value) : Double.toString(value)));
            }
            return integral ? (Object) (long) value : (Object) value;
        }

        @Override
        public Object defaultValue() {
            return integral ? (Object) (long) defaultNumber : (Object) defaultNumber;
        }

        @Override
        public String format(Object value) {
            return text(((java.lang.Number) value).doubleValue());
        }

        private String text(double value) {
            return integral ? Long.toString((long) value) : Double.toString(value);
        }
    }

    /** One of a fixed list of words; two-word choices such as on/off are the method's yes/no switches. */
    record Choice(String name, List<String> choices, String defaultValue, String description) implements MethodOption {
        public Choice {
            checkName(name);
            choices = List.copyOf(choices);
            if (!choices.contains(defaultValue)) {
                throw new IllegalArgumentException(name + ": default '" + defaultValue + "' is not one of " + choices);
            }
        }

        public static Choice onOff(String name, boolean on, String description) {
            return new Choice(name, List.of("on", "off"), on ? "on" : "off", description);
        }

        @Override
        public Object parse(String text) {
            String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
            if (!choices.contains(wanted)) {
                throw new IllegalArgumentException("--" + name + " must be one of " + String.join(", ", choices) + ", got '" + text + "'");
            }
            return wanted;
        }
    }

    /** A fixed number of comma-separated numbers (a schedule's values per phase). */
    record Numbers(String name, double[] defaultValue, String description) implements MethodOption {
        public Numbers {
            checkName(name);
            defaultValue = defaultValue.clone();
        }

        @Override
        public double[] defaultValue() {
            return defaultValue.clone();
        }

        @Override
        public Object parse(String text) {
            String[] parts = text == null ? new String[0] : text.split(",");
            if (parts.length != defaultValue.length) {
                throw new IllegalArgumentException("--" + name + " takes " + defaultValue.length + " comma-separated numbers, got '" + text + "'");
            }
            double[] values = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    values[i] = Double.parseDouble(parts[i].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--" + name + ": '" + parts[i] + "' is not a number");
                }
                if (!Double.isFinite(values[i])) {
                    throw new IllegalArgumentException("--" + name + ": " + parts[i] + " is not finite");
                }
            }
            return values;
        }

        @Override
        public String format(Object value) {
            double[] values = (double[]) value;
            StringBuilder out = new StringBuilder();
            for (double v : values) {
                out.append(out.isEmpty() ? "" : ",").append(v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v));
            }
            return out.toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Numbers n && n.name.equals(name) && Arrays.equals(n.defaultValue, defaultValue)
                    && n.description.equals(description);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, Arrays.hashCode(defaultValue), description);
        }

        @Override
        public String toString() {
            return "Numbers[" + name + "=" + format(defaultValue) + "]";
        }
    }

    /** Free text, such as a file; the empty string means unset. */
    record Text(String name, String defaultValue, String description) implements MethodOption {
        public Text {
            checkName(name);
            Objects.requireNonNull(defaultValue, "defaultValue");
        }

        @Override
        public Object parse(String text) {
            return text == null ? "" : text;
        }
    }

    private static void checkName(String name) {
        if (name == null || !name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("an option name is lower-case words joined by '-', got '" + name + "'");
        }
    }
}
