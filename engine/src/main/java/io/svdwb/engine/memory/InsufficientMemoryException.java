package io.svdwb.engine.memory;

/** A run that would not fit in its {@link MemoryBudget}, refused before it started. */
public final class InsufficientMemoryException extends IllegalArgumentException {

    public InsufficientMemoryException(String message) {
        super(message);
    }
}
