package io.svdwb.engine.export;

import io.svdwb.engine.TestData;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.progress.ProgressListener;
import java.nio.file.Path;

/**
 * A real export of the demo model to {@code args[0]} that stops after its first tensor, prints
 * {@value #PAUSED} and waits to be stopped from outside: the child process of {@link InterruptedExportTest}, so
 * the signal arrives while the temporary folder is certainly half written, not by luck of timing.
 */
public final class PausedExportMain {

    static final String PAUSED = "paused after the first tensor";

    private PausedExportMain() {
    }

    public static void main(String[] args) throws Exception {
        ProgressListener pauseAfterFirstTensor = new ProgressListener() {
            @Override
            public void begin(String phase, long totalUnits) {
            }

            @Override
            public void advanceTo(long unitsDone) {
                if (unitsDone == 1) {
                    System.out.println(PAUSED);
                    System.out.flush();
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }

            @Override
            public void end() {
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        };
        try (Checkpoint source = Checkpoint.open(TestData.demoModel())) {
            new CheckpointExporter(ExportFixtures.LA).export(ExportFixtures.request(source, ExportFixtures.truncatedSvd(source),
                    ExportFormat.FACTORED, false), Path.of(args[0]), pauseAfterFirstTensor);
        }
        System.exit(0);
    }
}
