package io.svdwb.engine.export;

import static io.svdwb.engine.export.ExportFixtures.LA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.progress.CancelledException;
import io.svdwb.engine.progress.ProgressListener;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An export is all or nothing: the target appears only complete and verified,
 * an existing one is kept unless overwriting was asked for, and a failure leaves neither a partial target
 * nor the temporary folder behind.
 */
class ExportAtomicityTest extends DemoModelExportTestBase {

    @Test
    void anExistingTargetIsRefusedWithoutOverwriteAndLeftUnchanged() throws Exception {
        Path out = tmp.resolve("model");
        Files.createDirectories(out);
        Files.writeString(out.resolve("config.json"), "{\"keep\": true}");
        assertThatThrownBy(() -> export(ExportFormat.FACTORED, false, out, ProgressListener.NONE))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(out.toString()).hasMessageContaining("already exists");
        assertThat(listing(out)).containsExactly("config.json");
        assertThat(Files.readString(out.resolve("config.json"))).isEqualTo("{\"keep\": true}");
        assertThat(listing(tmp)).containsExactly("model");
    }

    @Test
    void overwriteReplacesAnEarlierExportOnlyOnceTheNewOneIsComplete() throws Exception {
        Path out = tmp.resolve("model");
        export(ExportFormat.DENSE, false, out, ProgressListener.NONE);
        ExportResult second = export(ExportFormat.FACTORED, true, out, ProgressListener.NONE);
        assertThat(second.folder()).isEqualTo(out.toAbsolutePath());
        try (Checkpoint reopened = FactoredCheckpoint.open(out)) {
            assertThat(reopened.factoredRanks()).hasSize(replacements.size());
        }
        assertThat(listing(tmp)).containsExactly("model");   // no temp or replaced-folder leftovers
    }

    @Test
    void aFailedOverwriteKeepsTheOldExport() throws Exception {
        Path out = tmp.resolve("model");
        export(ExportFormat.DENSE, false, out, ProgressListener.NONE);
        byte[] before = Files.readAllBytes(out.resolve("model.safetensors"));
        assertThatThrownBy(() -> export(ExportFormat.FACTORED, true, out, failingAfter(5)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("simulated crash");
        assertThat(Files.readAllBytes(out.resolve("model.safetensors"))).isEqualTo(before);
        assertThat(listing(tmp)).containsExactly("model");
    }

    @Test
    void aFolderThatIsNotAModelIsNeverReplaced() throws Exception {
        Path out = tmp.resolve("photos");
        Files.createDirectories(out);
        Files.writeString(out.resolve("holiday.jpg"), "x");
        assertThatThrownBy(() -> export(ExportFormat.DENSE, true, out, ProgressListener.NONE))
                .hasMessageContaining("not a model folder");
        assertThat(listing(out)).containsExactly("holiday.jpg");
    }

    @Test
    void theSourceFolderItselfIsRefused() {
        assertThatThrownBy(() -> export(ExportFormat.DENSE, true, source.dir(), ProgressListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the target is the source folder");
    }

    /** A crash while a tensor's data is produced (the writer is halfway through model.safetensors). */
    @Test
    void aFailureHalfwayLeavesNoTargetAndNoTempFolder() throws Exception {
        Path out = tmp.resolve("model");
        assertThatThrownBy(() -> export(ExportFormat.DENSE, false, out, failingAfter(20)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("simulated crash");
        assertThat(out).doesNotExist();
        assertThat(listing(tmp)).isEmpty();
    }

    /** Cancelling (the workbench's stop button, or an interrupted worker) behaves like any other failure. */
    @Test
    void cancellingHalfwayLeavesNothingBehind() throws Exception {
        Path out = tmp.resolve("model");
        ProgressListener cancelLater = new ProgressListener() {
            private long done;
            @Override public void begin(String phase, long totalUnits) { }
            @Override public void advanceTo(long unitsDone) { done = unitsDone; }
            @Override public void end() { }
            @Override public boolean isCancelled() { return done >= 10; }
        };
        assertThatThrownBy(() -> export(ExportFormat.FACTORED, false, out, cancelLater)).isInstanceOf(CancelledException.class);
        assertThat(out).doesNotExist();
        assertThat(listing(tmp)).isEmpty();
    }

    @Test
    void notEnoughDiskSpaceIsAClearErrorBeforeAnythingIsWritten() throws Exception {
        Path out = tmp.resolve("model");
        CheckpointExporter exporter = new CheckpointExporter(LA, folder -> 100_000);
        assertThatThrownBy(() -> exporter.export(ExportFixtures.request(source, replacements, ExportFormat.DENSE, false), out,
                ProgressListener.NONE))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not enough free disk space").hasMessageContaining("0.1 MB are free");
        assertThat(listing(tmp)).isEmpty();
    }

    private ExportResult export(ExportFormat format, boolean overwrite, Path out, ProgressListener progress) throws IOException {
        return new CheckpointExporter(LA).export(ExportFixtures.request(source, replacements, format, overwrite), out, progress);
    }

    /** Throws from inside the writer once {@code tensors} tensors have been written: a crash mid-file. */
    private static ProgressListener failingAfter(long tensors) {
        return new ProgressListener() {
            @Override public void begin(String phase, long totalUnits) { }
            @Override public void advanceTo(long unitsDone) {
                if (unitsDone >= tensors) {
                    throw new IllegalStateException("simulated crash after " + unitsDone + " tensors");
                }
            }
            @Override public void end() { }
            @Override public boolean isCancelled() { return false; }
        };
    }

    /** Every entry of {@code dir}, hidden ones included (that is where a temp folder would show). */
    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
