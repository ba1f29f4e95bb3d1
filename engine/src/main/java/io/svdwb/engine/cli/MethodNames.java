package io.svdwb.engine.cli;

import io.svdwb.engine.compress.method.MethodId;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The method names for picocli's help (${COMPLETION-CANDIDATES}) and shell completion, read from {@link MethodId}
 * so that a new method shows up in {@code --help} without anyone editing a list.
 */
final class MethodNames implements Iterable<String> {

    @Override
    public Iterator<String> iterator() {
        return Arrays.stream(MethodId.values()).map(MethodId::cliName).iterator();
    }
}
