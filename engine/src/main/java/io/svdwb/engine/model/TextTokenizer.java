package io.svdwb.engine.model;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model's {@code tokenizer.json} through DJL's binding of Hugging Face tokenizers, with truncation
 * off (DJL otherwise silently cuts at 512 tokens) and special tokens left to the caller, who adds the
 * BOS where the evaluation protocol puts it ({@code add_bos_token} of {@code tokenizer_config.json}).
 */
public final class TextTokenizer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // DJL otherwise phones home (EC2 metadata endpoint, telemetry) when a tokenizer is created:
        // the engine must work air-gapped and never touch the network.
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    private final HuggingFaceTokenizer tokenizer;
    private final boolean addBos;
    private final int bosId;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, boolean addBos, int bosId) {
        this.tokenizer = tokenizer;
        this.addBos = addBos;
        this.bosId = bosId;
    }

    public static TextTokenizer open(Path modelDir) throws ModelConfigException {
        Path file = modelDir.resolve("tokenizer.json");
        if (!Files.exists(file)) {
            throw new ModelConfigException(file + ": not found (the engine needs the fast tokenizer file tokenizer.json)");
        }
        byte[] tokenizerJson;
        try {
            tokenizerJson = io.svdwb.engine.files.ReadableFiles.readAllBytes(file, "a tokenizer file");
        } catch (IOException e) {
            throw new ModelConfigException(e.getMessage(), e);
        }
        JsonNode tokenizerConfig = readJson(modelDir.resolve("tokenizer_config.json"));
        JsonNode modelConfig = readJson(modelDir.resolve("config.json"));
        // Qwen tokenizers add no BOS unless tokenizer_config.json says so
        String type = modelConfig.path("model_type").asText();
        boolean addBos = tokenizerConfig.path("add_bos_token").asBoolean(!type.equals("qwen2") && !type.equals("qwen3"));
        int bosId = modelConfig.path("bos_token_id").asInt(-1);
        if (addBos && bosId < 0) {
            throw new ModelConfigException(modelDir.resolve("config.json") + ": add_bos_token is set but bos_token_id is missing");
        }
        JsonNode root = readJson(file);
        if (root == null || !root.isObject()) {
            throw new ModelConfigException(file + ": not a JSON object");
        }
        // before the native library sees it: a panic there aborts the JVM
        TokenizerDefinitionCheck.check(root, file.toString());
        try {
            byte[] definition = TokenizerDefinitionFix.wholeTextAnchors(tokenizerJson);
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(definition),
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
            return new TextTokenizer(tokenizer, addBos, bosId);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ModelConfigException(io.svdwb.engine.files.JsonFiles.describe(file, e), e);
        } catch (IOException | RuntimeException e) {
            throw new ModelConfigException(file + ": cannot be loaded as a Hugging Face tokenizer: " + e.getMessage(), e);
        }
    }

    private static JsonNode readJson(Path file) throws ModelConfigException {
        if (!Files.exists(file)) {
            return JSON.createObjectNode();
        }
        try {
            return io.svdwb.engine.files.JsonFiles.read(file);
        } catch (IOException e) {
            throw new ModelConfigException(e.getMessage(), e);
        }
    }

    /**
     * The token ids of {@code text}, without any special token. Only the ids are fetched from the native encoding:
     * DJL's {@code Encoding} also copies tokens as strings, character spans and four more arrays, about 15 times
     * the heap of the ids, and the JNI aborts the JVM (not an OutOfMemoryError) when one of those allocations
     * fails. So the heap is checked first, against a bound on the token count.
     */
    public int[] encode(String text) {
        // a token covers at least one UTF-8 byte (byte fallback), and the ids arrive as long[] before the int[] copy
        long maxTokens = utf8Length(text) + 2;
        io.svdwb.engine.progress.NotEnoughMemoryError.requireHeap(maxTokens * (Long.BYTES + Integer.BYTES),
                String.format(java.util.Locale.ROOT, "tokenizing %,d characters of text", text.length()));
        long encoding = TokenizersLibrary.LIB.encode(tokenizer.getHandle(), text, false);
        long[] ids;
        try {
            ids = TokenizersLibrary.LIB.getTokenIds(encoding);
        } finally {
            TokenizersLibrary.LIB.deleteEncoding(encoding);
        }
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;   // a surrogate pair is 4 bytes
        }
        return bytes;
    }

    /** Whether the model expects a BOS token in front of a document. */
    public boolean addsBos() {
        return addBos;
    }

    public int bosId() {
        return bosId;
    }

    public String decode(int[] ids) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            longs[i] = ids[i];
        }
        return tokenizer.decode(longs);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
