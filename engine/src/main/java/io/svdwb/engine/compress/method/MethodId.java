package io.svdwb.engine.compress.method;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A registered compression method by its command-line name. There is one instance per method (so {@code ==} works).
 * {@link #REGISTERED} is the registry: a new method is one line there (and its own package); the constants below only
 * name the built-in methods for defaults and tests, and a new method needs none.
 */
public final class MethodId implements Comparable<MethodId> {

    /** Every method, in the order the CLI's help and the workbench list them. */
    private static final List<MethodId> REGISTERED = register(
            new PlainSvdMethod(),
            new FwsvdMethod(),
            new AsvdMethod(),
            new SvdLlmMethod(),
            new ResSvdMethod(),
            new DuoSvdMethod(),
            new SocoMethod(),
            new io.svdwb.engine.compress.swift.SwiftSvdMethod(),
            new io.svdwb.engine.compress.zerosum.ZeroSumSvdMethod());

    public static final MethodId SVD = registered("svd");
    public static final MethodId FWSVD = registered("fwsvd");
    public static final MethodId ASVD = registered("asvd");
    public static final MethodId SVD_LLM = registered("svd-llm");
    public static final MethodId RESSVD = registered("ressvd");
    public static final MethodId DUO_SVD = registered("duo-svd");
    public static final MethodId SOCO = registered("soco");

    private final CompressionMethod method;

    private MethodId(CompressionMethod method) {
        this.method = method;
    }

    public CompressionMethod method() {
        return method;
    }

    public String cliName() {
        return method.name();
    }

    /** Whether the method reads activation statistics (so a calibration run is needed first). */
    public boolean needsCalibration() {
        return method.needsCalibration();
    }

    public String summary() {
        return method.summary();
    }

    /** The method's options at their defaults. */
    public MethodSettings defaults() {
        return method.defaults();
    }

    /** Every registered method, in registration order. */
    public static List<MethodId> values() {
        return REGISTERED;
    }

    private static List<MethodId> register(CompressionMethod... methods) {
        List<MethodId> ids = new java.util.ArrayList<>();
        for (CompressionMethod method : methods) {
            if (ids.stream().anyMatch(id -> id.cliName().equals(method.name()))) {
                throw new IllegalStateException("two methods are registered as " + method.name());
            }
            ids.add(new MethodId(method));
        }
        return List.copyOf(ids);
    }

    private static MethodId registered(String name) {
        return parse(name);
    }

    /** Case-insensitive lookup by command-line name; the error lists every valid name. */
    public static MethodId parse(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (MethodId id : values()) {
            if (id.cliName().equals(wanted)) {
                return id;
            }
        }
        throw new IllegalArgumentException("unknown method '" + name + "'; choose one of " + names());
    }

    public static String names() {
        return values().stream().map(MethodId::cliName).collect(Collectors.joining(", "));
    }

    /** Registration order, the order the CLI and the workbench list methods in. */
    @Override
    public int compareTo(MethodId other) {
        return Integer.compare(REGISTERED.indexOf(this), REGISTERED.indexOf(other));
    }

    @Override
    public String toString() {
        return cliName();
    }
}
