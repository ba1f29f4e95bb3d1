package io.svdwb.engine.model;

/** A model folder whose config, weights or tokenizer cannot be used; the message names the file and the problem. */
public class ModelConfigException extends java.io.IOException {
    public ModelConfigException(String message) {
        super(message);
    }

    public ModelConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
