package io.svdwb.app;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** Asks the user for a file to write or to read, or a folder. An interface so that tests can answer without a native dialog. */
public interface FileDialogs {

    /** A file to write, with {@code extension} (e.g. "png") offered as the filter and suggested name's ending. */
    Optional<Path> save(Window owner, String title, String extension, String suggestedName);

    /** An existing file to read. */
    Optional<Path> open(Window owner, String title, String extension);

    /** An existing folder (for example the one an export folder is created in). */
    Optional<Path> folder(Window owner, String title);

    /** The platform's file dialogs. */
    static FileDialogs platform() {
        return new FileDialogs() {
            @Override
            public Optional<Path> save(Window owner, String title, String extension, String suggestedName) {
                FileChooser chooser = chooser(title, extension);
                chooser.setInitialFileName(suggestedName);
                return Optional.ofNullable(chooser.showSaveDialog(owner)).map(File::toPath);
            }

            @Override
            public Optional<Path> open(Window owner, String title, String extension) {
                return Optional.ofNullable(chooser(title, extension).showOpenDialog(owner)).map(File::toPath);
            }

            @Override
            public Optional<Path> folder(Window owner, String title) {
                DirectoryChooser chooser = new DirectoryChooser();
                chooser.setTitle(title);
                return Optional.ofNullable(chooser.showDialog(owner)).map(File::toPath);
            }

            private FileChooser chooser(String title, String extension) {
                FileChooser chooser = new FileChooser();
                chooser.setTitle(title);
                chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(extension.toUpperCase(java.util.Locale.ROOT)
                        + " files", "*." + extension));
                return chooser;
            }
        };
    }
}
