package io.svdwb.engine.cli;

import io.svdwb.engine.compress.method.DecompositionCache;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Whether full-rank decompositions are also kept on disk across runs; shared by compress and sweep. */
final class DecompositionCacheOptions {

    @Option(names = "--decomposition-cache", paramLabel = "DIR",
            description = "Also keep every full-rank decomposition (left factor, singular values, right factor; float64) in DIR, "
                    + "one file per method recipe, matrix and model/calibration data, so a later run at any ratio skips the SVDs. "
                    + "Files are large: m x r + r + r x n doubles, several hundred MB per matrix for LLaMA-7B. "
                    + "Default: off (kept in memory for this run only).")
    Path folder;

    DecompositionCache cache() throws java.io.IOException {
        if (folder != null) {
            io.svdwb.engine.files.OutputLocations.checkFolder(folder, "--decomposition-cache");
        }
        return DecompositionCache.withDefaultBound(folder);
    }
}
