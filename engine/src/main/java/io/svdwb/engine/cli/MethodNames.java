package io.svdwb.engine.cli;

import io.svdwb.engine.compress.method.MethodId;
import java.util.Iterator;

/**
 * The method names for picocli's help (${COMPLETION-CANDIDATES}) and shell completion, read from {@link MethodId}
 * so that a new method shows up in {@code --help} without anyone editing a list.
 */
final class MethodNames implements Iterable<String> {

    @Override
    public Iterator<String> iterator() {
        return MethodId.values().stream().map(MethodId::cliName).iterator();
    }
}
