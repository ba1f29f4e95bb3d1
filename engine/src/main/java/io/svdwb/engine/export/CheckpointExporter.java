package io.svdwb.engine.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svdwb.engine.files.TemporaryPaths;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.safetensors.CheckpointFiles;
import io.svdwb.engine.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a compressed checkpoint that other tools load: {@code model.safetensors} in the chosen
 * {@link ExportFormat}, config.json (with {@code truncation_ranks} for factored, and
 * {@code column_preserving_kept_columns} when a module is column-preserving), {@code rank_map.json},
 * {@code manifest.json}, and the source's tokenizer and generation files ({@link #COPIED_FROM_SOURCE}). The
 * folder is assembled beside the target, verified by reading it back, and only then
 * renamed into place; any failure, cancellation included, removes it and leaves the target as it was.
 */
public final class CheckpointExporter {

    public static final String RANK_MAP = "rank_map.json";
    public static final String MANIFEST = "manifest.json";
    /** Safetensors metadata key repeating config.json's kept columns of column-preserving modules (JSON). */
    public static final String KEPT_COLUMNS_METADATA = "svd.kept_columns";
    /** Safetensors metadata key repeating config.json's {@code int8_factors} (JSON list), for exports with int8 factors. */
    public static final String INT8_METADATA = "svd.int8_factors";
    private static final String CONFIG = "config.json";
    /**
     * The transformers remote code written into every factored export of a supported family (a resource of this
     * package): {@code AutoModelForCausalLM.from_pretrained(folder, trust_remote_code=True)} loads the factors as
     * two small linear layers (docs/EXPORT.md, "Loading in transformers").
     */
    public static final String MODELING_FILE = "modeling_svdwb.py";
    /** config.json's model_type to the class of {@link #MODELING_FILE} that config.json's {@code auto_map} names. */
    static final Map<String, String> REMOTE_CODE_CLASSES = Map.of("llama", "SvdwbLlamaForCausalLM",
            "mistral", "SvdwbMistralForCausalLM", "qwen2", "SvdwbQwen2ForCausalLM", "qwen3", "SvdwbQwen3ForCausalLM");
    /**
     * The Hugging Face files that tell a loader how to tokenize and generate (the tokenizers' own formats: fast,
     * SentencePiece, BPE, WordPiece; chat templates), copied byte for byte when the source has them.
     */
    static final List<String> COPIED_FROM_SOURCE = List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
            "tokenizer.model", "added_tokens.json", "vocab.json", "merges.txt", "vocab.txt", "spiece.model",
            "chat_template.json", "chat_template.jinja", "generation_config.json");
    /** Headroom for the safetensors header and file-system overhead on top of the raw tensor bytes. */
    private static final long SLACK_BYTES = 1 << 20;

    /** Usable bytes on the file system of a folder; replaceable so tests can simulate a full disk. */
    @FunctionalInterface
    public interface FreeSpace {
        long usableBytes(Path folder) throws IOException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LinearAlgebra linalg;
    private final FreeSpace freeSpace;

    public CheckpointExporter(LinearAlgebra linalg) {
        this(linalg, folder -> Files.getFileStore(folder).getUsableSpace());
    }

    public CheckpointExporter(LinearAlgebra linalg, FreeSpace freeSpace) {
        this.linalg = linalg;
        this.freeSpace = freeSpace;
    }

    /**
     * Fails early, before any expensive work, if {@code target} could not be written: it exists and
     * {@code overwrite} is false, or it is (inside) the source folder. {@link #export} checks the same again.
     */
    public static void checkTarget(Path target, Path sourceDir, boolean overwrite) throws IOException {
        ExportFolder.checkTarget(target.toAbsolutePath().normalize(), sourceDir, overwrite);
    }

    public ExportResult export(ExportRequest request, Path target, ProgressListener progress) throws IOException {
        Path out = target.toAbsolutePath().normalize();
        ExportFolder.checkTarget(out, request.source().dir(), request.overwrite());
        Files.createDirectories(out.getParent());
        List<ExportTensor> plan = ExportTensorPlan.of(request, linalg);
        List<Path> copied = filesToCopy(request.source().dir());
        checkFreeSpace(out.getParent(), estimateBytes(plan, copied, request));

        Path temp = ExportFolder.temporarySiblingName(out);
        // registered before it is created: a Ctrl-C or SIGTERM from here on removes it (TemporaryPaths' hook)
        try (TemporaryPaths.Registration registration = TemporaryPaths.register(temp)) {
            try {
                Files.createDirectory(temp);
                for (Path file : copied) {
                    Files.copy(file, temp.resolve(file.getFileName().toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
                boolean remoteCode = writeConfig(request, temp);
                if (remoteCode) {
                    Files.write(temp.resolve(MODELING_FILE), modelingFile());
                }
                Manifest manifest = request.manifest().withFormat(request.format());
                Files.writeString(temp.resolve(RANK_MAP), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(request.ranks()),
                        StandardCharsets.UTF_8);
                Files.writeString(temp.resolve(MANIFEST), manifest.toJson(true), StandardCharsets.UTF_8);
                for (Map.Entry<String, ExportSidecar> sidecar : request.sidecars().entrySet()) {
                    sidecar.getValue().writeTo(temp.resolve(sidecar.getKey()));
                }
                WrittenDigests digests = writeWeights(request, manifest, plan, temp, progress);
                long parameters = ExportVerifier.verify(temp, request, plan, digests, copied, remoteCode ? modelingFile() : null);
                long weightBytes = Files.size(temp.resolve(CheckpointFiles.SINGLE_FILE));
                registration.publish(() -> ExportFolder.moveIntoPlace(temp, out, request.overwrite()));
                return new ExportResult(out, request.format(), plan.size(), parameters, weightBytes);
            } catch (IOException | RuntimeException | Error e) {
                try {
                    ExportFolder.deleteRecursively(temp);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
    }

    private WrittenDigests writeWeights(ExportRequest request, Manifest manifest, List<ExportTensor> plan, Path folder,
                                        ProgressListener progress) throws IOException {
        SafetensorsWriter writer = SafetensorsWriter.to(folder.resolve(CheckpointFiles.SINGLE_FILE))
                .metadata("svd.format", request.format().id())
                .metadata("svd.method", String.valueOf(manifest.method()))
                .metadata("svd.ranks", JSON.writeValueAsString(request.ranks()))
                .metadata("svd.manifest", manifest.toJson(false));
        Map<String, List<Integer>> keptColumns = request.keptColumns();
        if (!keptColumns.isEmpty()) {
            writer.metadata(KEPT_COLUMNS_METADATA, JSON.writeValueAsString(keptColumns));
        }
        if (request.format() == ExportFormat.FACTORED && !request.int8Modules().isEmpty()) {
            writer.metadata(INT8_METADATA, JSON.writeValueAsString(request.int8Modules()));
        }
        WrittenDigests digests = new WrittenDigests();
        long[] done = {0};
        for (ExportTensor tensor : plan) {
            writer.addRaw(tensor.name(), tensor.dtype(), tensor.shape(), digests.recording(tensor, progress, done));
        }
        progress.begin("export " + request.format().id(), plan.size());
        writer.write();
        progress.end();
        return digests;
    }

    /**
     * config.json: copied byte for byte for dense; for factored, the same JSON plus {@code truncation_ranks}
     * and, only if some module is column-preserving, {@code column_preserving_kept_columns}; for a factored export
     * of a family in {@link #REMOTE_CODE_CLASSES} also {@code auto_map} {AutoModelForCausalLM: modeling_svdwb.Class}
     * (replacing any the source had). Returns whether {@link #MODELING_FILE} belongs in the folder.
     */
    private static boolean writeConfig(ExportRequest request, Path folder) throws IOException {
        Path source = request.source().dir().resolve(CONFIG);
        if (request.format() == ExportFormat.DENSE) {
            Files.copy(source, folder.resolve(CONFIG), StandardCopyOption.COPY_ATTRIBUTES);
            return false;
        }
        ObjectNode config = (ObjectNode) JSON.readTree(source.toFile());
        config.set(FactoredCheckpoint.RANKS_KEY, JSON.valueToTree(request.ranks()));
        Map<String, List<Integer>> keptColumns = request.keptColumns();
        if (!keptColumns.isEmpty()) {
            config.set(FactoredCheckpoint.KEPT_COLUMNS_KEY, JSON.valueToTree(keptColumns));
        }
        if (!request.int8Modules().isEmpty()) {
            config.set(FactoredCheckpoint.INT8_KEY, JSON.valueToTree(request.int8Modules()));
        }
        String remoteClass = REMOTE_CODE_CLASSES.get(config.path("model_type").asText(""));
        if (remoteClass != null) {
            ObjectNode autoMap = JSON.createObjectNode();
            autoMap.put("AutoModelForCausalLM", MODELING_FILE.substring(0, MODELING_FILE.length() - ".py".length()) + "." + remoteClass);
            config.set("auto_map", autoMap);
        }
        Files.writeString(folder.resolve(CONFIG), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config), StandardCharsets.UTF_8);
        return remoteClass != null;
    }

    /** The bytes of {@link #MODELING_FILE} as packaged in the engine jar. */
    static byte[] modelingFile() throws IOException {
        try (var in = CheckpointExporter.class.getResourceAsStream(MODELING_FILE)) {
            if (in == null) {
                throw new IOException("resource " + MODELING_FILE + " is missing from the engine jar");
            }
            return in.readAllBytes();
        }
    }

    /**
     * The source's tokenizer and generation files, which describe the exported model as much as the source.
     * Everything else is left out on purpose: reference perplexities, reference logits and PROVENANCE.md describe
     * the source model, and copied into a compressed export they would pass for measurements of it; the manifest
     * names the source instead ({@code source_model}, {@code source_provenance}). Sub-folders are not copied.
     */
    static List<Path> filesToCopy(Path sourceDir) {
        List<Path> files = new ArrayList<>();
        for (String name : COPIED_FROM_SOURCE) {
            Path p = sourceDir.resolve(name);
            if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                files.add(p);
            }
        }
        return files;
    }

    private static long estimateBytes(List<ExportTensor> plan, List<Path> copied, ExportRequest request) throws IOException {
        long bytes = SLACK_BYTES + 2L * request.manifest().toJson(true).length();
        for (ExportTensor tensor : plan) {
            bytes = Math.addExact(bytes, tensor.byteLength() + 256);
        }
        for (Path file : copied) {
            bytes = Math.addExact(bytes, Files.size(file));
        }
        bytes = Math.addExact(bytes, 64 * 1024);   // modeling_svdwb.py of a factored export
        return Math.addExact(bytes, Files.size(request.source().dir().resolve(CONFIG)) * 2);
    }

    private void checkFreeSpace(Path folder, long needed) throws IOException {
        long usable = freeSpace.usableBytes(folder);
        if (usable < needed) {
            throw new IOException(String.format(Locale.ROOT,
                    "not enough free disk space in %s: the export needs about %.1f MB, %.1f MB are free", folder, needed / 1e6, usable / 1e6));
        }
    }
}
