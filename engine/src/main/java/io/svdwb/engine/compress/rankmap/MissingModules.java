package io.svdwb.engine.compress.rankmap;

import java.util.Locale;

/**
 * What a selected matrix the rank map does not name becomes (docs/METHODS.md §2.7) [OURS]. DENSE is the default
 * because it is what every peer's loader does with a module its map leaves out: ASVD's and Palu's modeling code only
 * replace the modules listed, and our own factored export lists only the modules it factored.
 */
public enum MissingModules {
    /** Left as it is: it stores m n and counts so in the realised ratio. */
    DENSE("dense"),
    /** Compressed at the method's uniform rank k(rho) for the requested ratio (§2.3). */
    METHOD("method");

    private final String cliName;

    MissingModules(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static MissingModules parse(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (MissingModules m : values()) {
            if (m.cliName.equals(wanted)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown policy for modules missing from the rank map '" + name + "'; choose dense or method");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
