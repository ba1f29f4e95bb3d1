package io.svdwb.engine.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A checkpoint split over several safetensors files, as transformers writes large models:
 * {@code model.safetensors.index.json} maps every tensor name to its shard. Opening validates every
 * shard's header and the index against the shards, so a broken download fails here, not mid-run.
 */
public final class ShardedCheckpoint implements TensorStore {

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Path index;
    private final Map<String, SafetensorsFile> shardOf;
    private final List<SafetensorsFile> shards;
    private final Map<String, String> metadata;

    private ShardedCheckpoint(Path index, Map<String, SafetensorsFile> shardOf, List<SafetensorsFile> shards,
                              Map<String, String> metadata) {
        this.index = index;
        this.shardOf = shardOf;
        this.shards = shards;
        this.metadata = metadata;
    }

    public static ShardedCheckpoint open(Path index) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(io.svdwb.engine.files.ReadableFiles.readAllBytes(index, "a shard index"));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new SafetensorsException(index, "not a valid JSON index" + io.svdwb.engine.files.JsonFiles.problem(e), e);
        }
        JsonNode weightMap = root == null ? null : root.get("weight_map");
        if (weightMap == null || !weightMap.isObject() || weightMap.isEmpty()) {
            throw new SafetensorsException(index, "the index has no 'weight_map' object naming each tensor's shard");
        }
        Map<String, SafetensorsFile> byFile = new LinkedHashMap<>();
        Map<String, SafetensorsFile> shardOf = new LinkedHashMap<>();
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String file = e.getValue().asText("");
                SafetensorsFile shard = byFile.get(file);
                if (shard == null) {
                    shard = SafetensorsFile.open(resolveShard(index, file, e.getKey()));
                    byFile.put(file, shard);
                }
                if (!shard.contains(e.getKey())) {
                    throw new SafetensorsException(index, "weight_map puts tensor '" + e.getKey() + "' in " + file
                            + ", which has no such tensor");
                }
                shardOf.put(e.getKey(), shard);
            }
            long bytes = 0;
            for (Map.Entry<String, SafetensorsFile> e : byFile.entrySet()) {
                TreeSet<String> unlisted = new TreeSet<>();
                for (String name : e.getValue().names()) {
                    bytes += e.getValue().info(name).byteLength();
                    if (shardOf.get(name) != e.getValue()) {
                        unlisted.add(name);
                    }
                }
                if (!unlisted.isEmpty()) {
                    throw new SafetensorsException(index, "shard " + e.getKey() + " holds tensors the weight_map does not list: " + unlisted);
                }
            }
            JsonNode totalSize = root.path("metadata").get("total_size");
            if (totalSize != null && (!totalSize.canConvertToLong() || totalSize.asLong() != bytes)) {
                throw new SafetensorsException(index, "metadata.total_size is " + totalSize + " but the shards hold " + bytes + " bytes of tensors");
            }
        } catch (IOException | RuntimeException e) {
            for (SafetensorsFile shard : byFile.values()) {
                try {
                    shard.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        byFile.values().forEach(s -> metadata.putAll(s.metadata()));
        return new ShardedCheckpoint(index, shardOf, new ArrayList<>(byFile.values()), metadata);
    }

    /** A shard is a plain file name beside the index: anything else could read outside the model folder. */
    private static Path resolveShard(Path index, String file, String tensor) throws IOException {
        if (file.isEmpty() || file.contains("/") || file.contains("\\") || file.equals(".") || file.equals("..")
                || file.contains("\0")) {
            throw new SafetensorsException(index, "weight_map gives tensor '" + tensor + "' the shard name '" + file
                    + "'; shard names must be plain file names in the model folder");
        }
        Path shard = index.resolveSibling(file);
        if (!Files.exists(shard)) {
            throw new SafetensorsException(index, "weight_map names shard " + file + " (for tensor '" + tensor + "'), which does not exist");
        }
        io.svdwb.engine.files.ReadableFiles.requireReadable(shard, "a safetensors shard");
        return shard;
    }

    public Path index() {
        return index;
    }

    public int shardCount() {
        return shards.size();
    }

    @Override
    public List<String> names() {
        return new ArrayList<>(shardOf.keySet());
    }

    @Override
    public boolean contains(String name) {
        return shardOf.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        return shard(name).info(name);
    }

    @Override
    public float[] readFloats(String name) throws IOException {
        return shard(name).readFloats(name);
    }

    @Override
    public void readFloats(String name, long firstElement, float[] dst, int dstOffset, int count) throws IOException {
        shard(name).readFloats(name, firstElement, dst, dstOffset, count);
    }

    @Override
    public long readFloatsCountingNonFinite(String name, java.nio.FloatBuffer dst) throws IOException {
        return shard(name).readFloatsCountingNonFinite(name, dst);
    }

    @Override
    public byte[] readRaw(String name) throws IOException {
        return shard(name).readRaw(name);
    }

    private SafetensorsFile shard(String name) {
        SafetensorsFile shard = shardOf.get(name);
        if (shard == null) {
            throw new IllegalArgumentException(index + ": no tensor named '" + name + "'");
        }
        return shard;
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (SafetensorsFile shard : shards) {
            try {
                shard.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
