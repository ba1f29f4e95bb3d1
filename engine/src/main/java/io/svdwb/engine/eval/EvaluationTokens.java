package io.svdwb.engine.eval;

/**
 * A resolved {@link EvaluationProtocol} with its text's token stream for one model: what {@link PerplexityEvaluator}
 * measures. Made by {@link EvaluationProtocol#tokenize}.
 */
public record EvaluationTokens(EvaluationProtocol protocol, int[] tokens) {

    public EvaluationTokens {
        if (!protocol.isResolved()) {
            throw new IllegalArgumentException("tokens need a resolved protocol (a window and a batch), got " + protocol.describe());
        }
    }

    /**
     * The same token stream under {@code other}, a protocol on the same text and documents (another window or token
     * count), so that a text is tokenized once however often its protocol changes.
     */
    public EvaluationTokens under(EvaluationProtocol other) {
        if (!java.util.Objects.equals(other.text(), protocol.text())
                || !java.util.Objects.equals(other.documentSeparator(), protocol.documentSeparator())) {
            throw new IllegalArgumentException("the tokens of " + protocol.describe() + " do not serve " + other.describe());
        }
        return new EvaluationTokens(other, tokens);
    }

    /** Tokens the protocol uses: the first {@code maxTokens}, or all. */
    public long usableTokens() {
        return protocol.maxTokens() > 0 ? Math.min(protocol.maxTokens(), tokens.length) : tokens.length;
    }
}
