package io.svdwb.app.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.svdwb.app.AtomicFiles;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes session files ({@value SessionFile#FORMAT}) and reads them, {@value SessionFile#FORMAT_V3}, {@value SessionFile#FORMAT_V2} and
 * {@value SessionFile#FORMAT_V1}; reading says exactly why a file is not usable.
 */
public final class SessionStore {

    public static final String EXTENSION = "svdwb.json";
    private static final Pattern VERSIONED = Pattern.compile("svdwb-session-v(\\d+)");
    // Strict: a misspelt or missing key is an error, not a silently defaulted setting.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    private SessionStore() {
    }

    /** Writes beside {@code file} and renames, so an existing session is replaced only by a complete one. */
    public static void write(Session session, Path file) throws IOException {
        AtomicFiles.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(SessionFile.of(session)));
    }

    public static Session read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new SessionFileException(file, "not a session file: the JSON is malformed (" + e.getOriginalMessage()
                    + location(e) + ")", e);
        }
        if (root == null || !root.isObject() || !root.path("format").isTextual()) {
            throw new SessionFileException(file, "not an SVD Workbench session (it has no \"format\": \"" + SessionFile.FORMAT + "\")", null);
        }
        String format = root.get("format").asText();
        Matcher version = VERSIONED.matcher(format);
        if (!version.matches()) {
            throw new SessionFileException(file, "not an SVD Workbench session (format \"" + format + "\")", null);
        }
        if (!format.equals(SessionFile.FORMAT) && !format.equals(SessionFile.FORMAT_V3) && !format.equals(SessionFile.FORMAT_V2)
                && !format.equals(SessionFile.FORMAT_V1)) {
            throw new SessionFileException(file, "written by a newer SVD Workbench (format " + format + "); this version reads "
                    + SessionFile.FORMAT_V1 + ", " + SessionFile.FORMAT_V2 + ", " + SessionFile.FORMAT_V3 + " and " + SessionFile.FORMAT, null);
        }
        // v4 stores the method's settings, v1-v3 the record of every method's knobs: the other key reads as absent
        if (root.path("compression") instanceof ObjectNode compression) {
            String absent = format.equals(SessionFile.FORMAT) ? "options" : "settings";
            if (!compression.has(absent)) {
                compression.putNull(absent);
            }
            // int8 factors came in v4; a file without the key has the dense dtype
            if (!compression.has("factorDtype")) {
                compression.putNull("factorDtype");
            }
        }
        if (format.equals(SessionFile.FORMAT_V1) || format.equals(SessionFile.FORMAT_V2)) {
            // Before v3 the estimate was a number with a free-text protocol, and no version wrote one: it cannot be shown
            // as it was measured, so it is dropped (a new estimate is computed) once its shape is checked.
            JsonNode old = root.path("estimate");
            if (!old.isMissingNode() && !old.isNull() && !old.isObject()) {
                throw new SessionFileException(file, "a " + format + " file with a wrong entry at estimate: not an object", null);
            }
            ((ObjectNode) root).putNull("estimate");
        }
        // v1 had no exclusions: it reads as v2 with none (the strict mapper would otherwise call the key missing).
        if (format.equals(SessionFile.FORMAT_V1) && root.path("compression") instanceof ObjectNode compression) {
            if (compression.has("exclude")) {
                throw new SessionFileException(file, "a " + format + " file with a wrong entry at compression.exclude: "
                        + "exclusions exist from " + SessionFile.FORMAT_V2 + " on", null);
            }
            compression.putArray("exclude");
        }
        try {
            return JSON.treeToValue(root, SessionFile.class).toSession();
        } catch (JsonProcessingException e) {
            throw new SessionFileException(file, "a " + format + " file with a wrong entry" + path(e) + ": "
                    + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new SessionFileException(file, "a " + format + " file with an impossible value: " + e.getMessage(), e);
        }
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    /** " at compression.options.asvdAlpha", from Jackson's path of the failing property. */
    private static String path(JsonProcessingException e) {
        if (!(e instanceof com.fasterxml.jackson.databind.JsonMappingException m) || m.getPath().isEmpty()) {
            return "";
        }
        StringBuilder path = new StringBuilder();
        for (var reference : m.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return " at " + path;
    }
}
