package io.svdwb.app.support;

import io.svdwb.app.FileDialogs;
import java.nio.file.Path;
import java.util.Optional;
import javafx.stage.Window;

/** File dialogs that are always cancelled: for views under test that never need a file. */
public final class NoFileDialogs implements FileDialogs {

    @Override
    public Optional<Path> save(Window owner, String title, String extension, String suggestedName) {
        return Optional.empty();
    }

    @Override
    public Optional<Path> open(Window owner, String title, String extension) {
        return Optional.empty();
    }

    @Override
    public Optional<Path> folder(Window owner, String title) {
        return Optional.empty();
    }
}
