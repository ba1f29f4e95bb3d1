package io.svdwb.app.session;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.app.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last {@value #LIMIT} model folders opened, newest first, kept in {@code recent-models.json} under the
 * configuration folder ({@code ~/.config/svdwb}, or {@code -Dsvdwb.config}, or the folder given). A missing or
 * unreadable file is an empty list, never an error: it is a convenience. Use on the FX thread.
 */
public final class RecentModels {

    public static final int LIMIT = 8;
    public static final String PROPERTY = "svdwb.config";
    static final String FILE = "recent-models.json";

    private static final Logger LOG = LoggerFactory.getLogger(RecentModels.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final ObservableList<Path> folders = FXCollections.observableArrayList();
    private final ObservableList<Path> readOnly = FXCollections.unmodifiableObservableList(folders);

    public RecentModels(Path configFolder) {
        this.file = configFolder.resolve(FILE);
        folders.setAll(load(file));
    }

    /** At {@code -Dsvdwb.config}, else {@code ~/.config/svdwb}. */
    public static RecentModels atDefaultLocation() {
        String override = System.getProperty(PROPERTY);
        return new RecentModels(override != null && !override.isBlank() ? Path.of(override)
                : Path.of(System.getProperty("user.home"), ".config", "svdwb"));
    }

    /** Newest first. */
    public ObservableList<Path> folders() {
        return readOnly;
    }

    /** Puts {@code folder} first (once), drops the oldest beyond the limit, and saves the list. */
    public void record(Path folder) throws IOException {
        Path normalized = folder.toAbsolutePath().normalize();
        List<Path> updated = new ArrayList<>(folders);
        updated.remove(normalized);
        updated.add(0, normalized);
        while (updated.size() > LIMIT) {
            updated.remove(updated.size() - 1);
        }
        folders.setAll(updated);
        save();
    }

    public void remove(Path folder) throws IOException {
        if (folders.remove(folder)) {
            save();
        }
    }

    private void save() throws IOException {
        Files.createDirectories(file.getParent());
        AtomicFiles.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(folders.stream().map(Path::toString).toList()));
    }

    private static List<Path> load(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            List<String> names = JSON.readValue(file.toFile(), new TypeReference<List<String>>() { });
            return names.stream().filter(n -> n != null && !n.isBlank()).map(Path::of).distinct().limit(LIMIT).toList();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Ignoring the unreadable list of recent models {}: {}", file, e.getMessage());
            return List.of();
        }
    }
}
