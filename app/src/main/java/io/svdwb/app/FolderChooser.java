package io.svdwb.app;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import javafx.stage.DirectoryChooser;
import javafx.stage.Window;

/** Asks the user for a folder. An interface so that tests can answer without a native dialog. */
@FunctionalInterface
public interface FolderChooser {

    Optional<Path> choose(Window owner);

    /** The platform's folder dialog. */
    static FolderChooser directoryChooser() {
        return owner -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Open model folder");
            File chosen = chooser.showDialog(owner);
            return Optional.ofNullable(chosen).map(File::toPath);
        };
    }
}
