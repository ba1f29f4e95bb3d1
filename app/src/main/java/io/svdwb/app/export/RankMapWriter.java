package io.svdwb.app.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.app.AtomicFiles;
import io.svdwb.engine.export.CheckpointExporter;
import io.svdwb.engine.export.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes just {@code rank_map.json} and {@code manifest.json} (the exporter's own two descriptions, in its layout)
 * into a folder, created if needed. Both files are written completely under temporary names first and only then
 * renamed, each atomically, so a failure leaves no half-written file behind.
 */
public final class RankMapWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RankMapWriter() {
    }

    /** Refuses a folder that already holds either file unless {@code overwrite}, and the model's own folder. */
    public static void checkTarget(Path folder, Path modelDir, boolean overwrite) throws IOException {
        Path target = folder.toAbsolutePath().normalize();
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "exists and is not a folder");
        }
        if (Files.isDirectory(target) && Files.isSameFile(target, modelDir)) {
            throw new IllegalArgumentException(target + " is the model's own folder; choose another folder");
        }
        if (!overwrite) {
            for (String name : List.of(CheckpointExporter.RANK_MAP, CheckpointExporter.MANIFEST)) {
                if (Files.exists(target.resolve(name))) {
                    throw new FileAlreadyExistsException(target.resolve(name).toString(), null,
                            "already exists; choose another folder or allow replacing");
                }
            }
        }
    }

    public static void write(Manifest manifest, Path folder, Path modelDir, boolean overwrite) throws IOException {
        checkTarget(folder, modelDir, overwrite);
        Path target = folder.toAbsolutePath().normalize();
        Files.createDirectories(target);
        List<Path> temps = new ArrayList<>();
        try {
            Path ranks = temp(target, CheckpointExporter.RANK_MAP, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest.ranks()));
            temps.add(ranks);
            Path description = temp(target, CheckpointExporter.MANIFEST, manifest.toJson(true));
            temps.add(description);
            AtomicFiles.moveIntoPlace(ranks, target.resolve(CheckpointExporter.RANK_MAP));
            AtomicFiles.moveIntoPlace(description, target.resolve(CheckpointExporter.MANIFEST));
        } finally {
            for (Path temp : temps) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static Path temp(Path folder, String name, String content) throws IOException {
        Path temp = AtomicFiles.temporarySibling(folder.resolve(name));
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        return temp;
    }
}
