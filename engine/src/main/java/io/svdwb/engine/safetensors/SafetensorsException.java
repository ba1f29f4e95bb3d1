package io.svdwb.engine.safetensors;

import java.nio.file.Path;

/** A safetensors file or checkpoint that breaks a rule of the format; the message names the file and the rule. */
public class SafetensorsException extends java.io.IOException {

    public SafetensorsException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public SafetensorsException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
