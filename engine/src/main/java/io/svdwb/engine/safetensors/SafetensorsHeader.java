package io.svdwb.engine.safetensors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed and fully validated safetensors header: tensor entries with absolute file positions, in data
 * order, plus the string metadata. {@link #read} rejects every malformed header with a message naming the
 * file, the rule broken and the tensor concerned; nothing of the data section is read.
 */
record SafetensorsHeader(Map<String, TensorInfo> tensors, Map<String, String> metadata, List<String> warnings) {

    static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            // Jackson's default 50,000-char name limit would refuse long but legal tensor names; the header
            // size cap already bounds everything.
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNameLength((int) HeaderBytes.MAX_HEADER_LENGTH)
                    .maxStringLength((int) HeaderBytes.MAX_HEADER_LENGTH)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static SafetensorsHeader read(Path path, FileChannel channel) throws IOException {
        byte[] bytes = HeaderBytes.read(path, channel);
        long dataStart = 8L + bytes.length;
        JsonNode root = parseJson(path, decodeUtf8(path, bytes));
        if (!root.isObject()) {
            throw new SafetensorsException(path, "header must be a JSON object, found " + TensorEntry.kind(root));
        }
        List<String> warnings = new ArrayList<>();
        Map<String, String> metadata = Map.of();
        List<TensorEntry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(path, field.getValue(), warnings);
            } else {
                entries.add(TensorEntry.parse(path, field.getKey(), field.getValue()));
            }
        }
        List<TensorEntry> inDataOrder = DataLayout.check(path, entries, channel.size() - dataStart);
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (TensorEntry e : inDataOrder) {
            tensors.put(e.name(), new TensorInfo(e.name(), e.dtype(), e.shape(), dataStart + e.begin(), dataStart + e.end()));
        }
        return new SafetensorsHeader(Collections.unmodifiableMap(tensors), metadata, List.copyOf(warnings));
    }

    /**
     * Strict UTF-8 (a lenient decoder would silently turn bad bytes into U+FFFD and change tensor names), and
     * only spaces may pad the JSON: writers pad to 8-byte alignment with spaces, while NUL padding is a
     * common writer bug that other readers reject.
     */
    private static String decodeUtf8(Path path, byte[] bytes) throws SafetensorsException {
        int end = bytes.length;
        boolean nulPadding = false;
        while (end > 0 && (bytes[end - 1] == ' ' || bytes[end - 1] == 0)) {
            nulPadding |= bytes[end - 1] == 0;
            end--;
        }
        if (nulPadding) {
            throw new SafetensorsException(path, "header is padded with NUL bytes (0x00) after the JSON; only spaces"
                    + " (0x20) may pad the header");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new SafetensorsException(path, "header is not valid UTF-8 (bad byte sequence at header byte "
                    + in.position() + ")");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static JsonNode parseJson(Path path, String json) throws SafetensorsException {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            String problem = e.getOriginalMessage();
            if (problem.startsWith("Duplicate field '") && e.getProcessor() instanceof JsonParser parser) {
                throw new SafetensorsException(path, duplicateMessage(parser.getParsingContext(), problem));
            }
            if (problem.startsWith("Trailing token")) {
                throw new SafetensorsException(path, "header has more JSON after its top-level object");
            }
            throw new SafetensorsException(path, "header is not valid JSON: " + problem
                    + " (at header character " + e.getLocation().getCharOffset() + ")");
        }
    }

    private static String duplicateMessage(JsonStreamContext context, String jacksonMessage) {
        String key = jacksonMessage.substring("Duplicate field '".length(), jacksonMessage.length() - 1);
        JsonStreamContext parent = context.getParent();
        if (parent == null || parent.inRoot()) {
            return "duplicate tensor name '" + key + "' in header (each name may appear only once)";
        }
        return "duplicate key '" + key + "' in the entry of '" + parent.getCurrentName() + "'";
    }

    private static Map<String, String> parseMetadata(Path path, JsonNode node, List<String> warnings)
            throws SafetensorsException {
        if (!node.isObject()) {
            throw new SafetensorsException(path, METADATA_KEY + " must be an object of strings, found " + TensorEntry.kind(node));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isTextual()) {
                throw new SafetensorsException(path, METADATA_KEY + " value of '" + field.getKey()
                        + "' must be a string, found " + TensorEntry.kind(field.getValue()) + " " + field.getValue());
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
        if (!metadata.containsKey("format")) {
            // Accepted (the format itself does not require it), but transformers refuses such files.
            warnings.add(METADATA_KEY + " has no 'format' entry; Hugging Face transformers will refuse to load this file");
        }
        return Collections.unmodifiableMap(metadata);
    }
}
