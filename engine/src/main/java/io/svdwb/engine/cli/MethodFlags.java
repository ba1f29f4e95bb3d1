package io.svdwb.engine.cli;

import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.compress.method.MethodOption;
import io.svdwb.engine.compress.method.MethodSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The methods' options as command-line flags, read from the methods themselves: a new method's options appear in
 * {@code compress} and {@code sweep} without anyone editing this package.
 */
final class MethodFlags {

    private MethodFlags() {
    }

    /** Adds every registered method's options (each name once) to a command; picocli calls it while building the command. */
    static final class Adder implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            for (Map.Entry<MethodOption, List<MethodId>> e : owners().entrySet()) {
                MethodOption option = e.getKey();
                String methods = e.getValue().stream().map(MethodId::cliName).collect(Collectors.joining(", "));
                OptionSpec.Builder flag = OptionSpec.builder("--" + option.name()).type(String.class).paramLabel(label(option))
                        .description((option.description() + " Default: " + shown(option) + ". Used by " + methods + ".").replace("%", "%%"));
                if (option instanceof MethodOption.Choice c && c.choices().equals(List.of("on", "off"))) {
                    flag.arity("0..1").fallbackValue("on"); // "--soco-resume" alone still means on
                }
                spec.addOption(flag.build());
            }
            return spec;
        }
    }

    /** Every option any method declares, with the methods that declare it; a name must mean one option everywhere. */
    static Map<MethodOption, List<MethodId>> owners() {
        Map<String, MethodOption> byName = new LinkedHashMap<>();
        Map<MethodOption, List<MethodId>> owners = new LinkedHashMap<>();
        for (MethodId id : MethodId.values()) {
            for (MethodOption option : id.method().options()) {
                MethodOption earlier = byName.putIfAbsent(option.name(), option);
                if (earlier != null && !earlier.equals(option)) {
                    throw new IllegalStateException("--" + option.name() + " is declared differently by two methods");
                }
                owners.computeIfAbsent(byName.get(option.name()), o -> new ArrayList<>()).add(id);
            }
        }
        return owners;
    }

    /** The method options given on this command line, by name, as typed. */
    static Map<String, String> given(CommandSpec spec) {
        Map<String, String> given = new LinkedHashMap<>();
        for (MethodOption option : owners().keySet()) {
            OptionSpec flag = spec.findOption("--" + option.name());
            if (flag != null && flag.getValue() != null) {
                given.put(option.name(), flag.getValue());
            }
        }
        return given;
    }

    /**
     * Each method's settings: its defaults with the given flags it declares. A flag that none of {@code methods} declares
     * is an error, not silently ignored.
     */
    static Map<MethodId, MethodSettings> settings(List<MethodId> methods, Map<String, String> given) {
        for (String name : given.keySet()) {
            if (methods.stream().noneMatch(id -> id.defaults().declares(name))) {
                List<String> users = MethodId.values().stream().filter(id -> id.defaults().declares(name)).map(MethodId::cliName).toList();
                throw new IllegalArgumentException("--" + name + " is an option of " + String.join(", ", users) + ", not of "
                        + methods.stream().map(MethodId::cliName).collect(Collectors.joining(", ")));
            }
        }
        Map<MethodId, MethodSettings> out = new LinkedHashMap<>();
        for (MethodId id : methods) {
            MethodSettings settings = id.defaults().withAll(given);
            id.method().validate(settings);
            out.put(id, settings);
        }
        return out;
    }

    /**
     * A sweep's rows from its method names: a registered name, or a name with {@code +variant} parts that set the method's
     * sweep variants ({@code svd-llm+update}) on top of the given flags.
     */
    static List<io.svdwb.engine.pipeline.Sweep.Variant> sweepVariants(List<String> names, Map<String, String> given) {
        List<MethodId> methods = names.stream().map(n -> MethodId.parse(n.split("\\+")[0])).distinct().toList();
        Map<MethodId, MethodSettings> base = settings(methods, given);
        List<io.svdwb.engine.pipeline.Sweep.Variant> out = new ArrayList<>();
        for (String name : names) {
            String[] parts = name.trim().toLowerCase(java.util.Locale.ROOT).split("\\+");
            MethodId method = MethodId.parse(parts[0]);
            MethodSettings settings = base.get(method);
            for (int i = 1; i < parts.length; i++) {
                Map<String, String> variant = method.method().sweepVariants().get(parts[i]);
                if (variant == null) {
                    Map<String, Map<String, String>> known = method.method().sweepVariants();
                    throw new IllegalArgumentException("unknown sweep variant '" + parts[i] + "' in '" + name + "'; " + method
                            + (known.isEmpty() ? " has none" : " has " + String.join(", ", new java.util.TreeSet<>(known.keySet()))));
                }
                settings = settings.withAll(variant);
            }
            out.add(new io.svdwb.engine.pipeline.Sweep.Variant(method, settings));
        }
        return out;
    }

    private static String label(MethodOption option) {
        return switch (option) {
            case MethodOption.Choice c -> String.join("|", c.choices());
            case MethodOption.Number n -> n.integral() ? "N" : "X";
            case MethodOption.Numbers n -> String.join(",", java.util.Collections.nCopies(n.defaultValue().length, "X"));
            case MethodOption.Text t -> "TEXT";
        };
    }

    private static String shown(MethodOption option) {
        String text = option.format(option.defaultValue());
        return text.isEmpty() ? "none" : text;
    }
}
