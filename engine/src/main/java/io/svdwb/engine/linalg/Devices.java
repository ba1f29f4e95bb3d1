package io.svdwb.engine.linalg;

import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns a device name ({@code cpu}, {@code cuda}, {@code cuda:1}) into the backend that runs there. */
public final class Devices {

    private static final Pattern SPEC = Pattern.compile("([a-z]+)(?::(\\d+))?");

    private Devices() {
    }

    /** What the machine offers: "cpu", then "kind:N" for every device of every provider on the class path. */
    public static java.util.List<String> choices() {
        java.util.List<String> out = new java.util.ArrayList<>(java.util.List.of("cpu"));
        for (LinearAlgebraProvider provider : ServiceLoader.load(LinearAlgebraProvider.class)) {
            try {
                for (int i = 0; i < provider.deviceCount(); i++) {
                    out.add(provider.kind() + ":" + i);
                }
            } catch (RuntimeException unavailable) {
                // status() says why
            }
        }
        return out;
    }

    /** One line on the GPUs: how many of each kind, or why there are none (for a settings view or a report). */
    public static String status() {
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (LinearAlgebraProvider provider : ServiceLoader.load(LinearAlgebraProvider.class)) {
            try {
                int n = provider.deviceCount();
                parts.add(provider.kind() + ": " + n + (n == 1 ? " device" : " devices"));
            } catch (RuntimeException unavailable) {
                parts.add(provider.kind() + ": unavailable (" + unavailable.getMessage() + ")");
            }
        }
        return parts.isEmpty() ? "no GPU backend on the class path (the cuda module's jar; docs/GPU.md)" : String.join("; ", parts);
    }

    /**
     * The backend for {@code spec}: the CPU for "cpu", else the provider of that kind on the class path (index 0 unless
     * given).
     *
     * @throws IllegalArgumentException for a malformed name or a kind no provider on the class path serves
     */
    public static LinearAlgebra open(String spec) {
        Matcher m = SPEC.matcher(spec == null ? "" : spec.trim().toLowerCase(java.util.Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("a device is cpu or cuda[:N] (e.g. cuda:0), got '" + spec + "'");
        }
        String kind = m.group(1);
        int index = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        if (kind.equals("cpu")) {
            if (m.group(2) != null && index != 0) {
                throw new IllegalArgumentException("there is one CPU device, cpu (or cpu:0), got '" + spec + "'");
            }
            return LinearAlgebra.cpu();
        }
        for (LinearAlgebraProvider provider : ServiceLoader.load(LinearAlgebraProvider.class)) {
            if (provider.kind().equals(kind)) {
                return provider.open(index);
            }
        }
        throw new IllegalArgumentException("no '" + kind + "' backend on the class path for device '" + spec + "'"
                + (kind.equals("cuda") ? ": the CUDA backend is the cuda module's jar (cuda/target/cuda-*.jar, built on a"
                        + " JDK 22+); add it with SVDWB_CLASSPATH" : ": known devices are cpu and cuda[:N]"));
    }
}
