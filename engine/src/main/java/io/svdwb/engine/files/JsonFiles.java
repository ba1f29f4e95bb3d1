package io.svdwb.engine.files;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * JSON files (config.json, tokenizer configs, shard indexes): a parse error becomes one line with the file, the
 * line and column, and Jackson's reason, instead of its multi-line message that quotes the source.
 */
public final class JsonFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonFiles() {
    }

    /** The JSON tree of {@code file}; missing, folder, unreadable and malformed files each end in their own message. */
    public static JsonNode read(Path file) throws IOException {
        byte[] bytes = ReadableFiles.readAllBytes(file, "a JSON file");
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root == null || root.isMissingNode()) {
                throw new FileProblemException(file + ": empty, expected JSON");
            }
            return root;
        } catch (JacksonException e) {
            throw new FileProblemException(describe(file, e), e);
        }
    }

    /** "FILE: not valid JSON at line L, column C: reason", on one line. */
    public static String describe(Path file, JacksonException e) {
        return file + ": not valid JSON" + problem(e);
    }

    /** " at line L, column C: reason" (without the location when Jackson has none), on one line. */
    public static String problem(JacksonException e) {
        JsonLocation at = e.getLocation();
        String where = at != null && at.getLineNr() > 0 ? " at line " + at.getLineNr() + ", column " + at.getColumnNr() : "";
        String reason = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        return where + ": " + reason.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
