package io.svdwb.engine.compress.method;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.progress.ProgressListener;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search probe is memoised per context and outlives the job that built it; a later search must take cancellation
 * from its own job. (The workbench cancels stale estimates all the time, and its tools share the context.)
 */
class ProbeListenerTest {

    @TempDir
    Path tmp;

    @Test
    void aLaterSearchIsNotCancelledByTheListenerOfTheJobThatBuiltTheProbe() throws Exception {
        try (CompressionContext context = DemoCompression.open(tmp)) {
            MethodSettings options = SharedOptions.withProbe(MethodId.RESSVD.defaults(), 2, 64);
            Selection all = Selection.all(context.checkpoint().config());
            Compressor compressor = new Compressor(context);
            AtomicBoolean builderCancelled = new AtomicBoolean();
            ProgressListener builder = new ProgressListener() {
                @Override public void begin(String phase, long totalUnits) { }
                @Override public void advanceTo(long unitsDone) { }
                @Override public void end() { }
                @Override public boolean isCancelled() {
                    return builderCancelled.get();
                }
            };
            compressor.compress(new CompressionRequest(MethodId.RESSVD, 0.4, all, options), builder);
            builderCancelled.set(true);
            // a new ratio runs ResSVD's layer search again on the memoised probe, with a listener that never cancels
            CompressionResult later = compressor.compress(new CompressionRequest(MethodId.RESSVD, 0.6, all, options),
                    ProgressListener.NONE);
            assertEquals(35, later.modules().size());
        }
    }
}
