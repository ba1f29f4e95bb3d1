package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.gradients.GradientPass;
import io.svdwb.engine.compress.gradients.GradientPassSettings;
import io.svdwb.engine.progress.ProgressListener;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The {@link GradientPass} of a context, run once per settings and memoised, so a second ratio costs nothing. */
public final class Gradients {

    private Gradients() {
    }

    public static GradientPass.Result of(CompressionContext context, GradientPassSettings settings, ProgressListener progress) {
        int length = settings.resolvedLength(context.calibrationLength());
        return context.memo("gradient pass v1\n" + settings.key(context.calibrationLength()), () -> {
            int[][] windows = context.probeWindows(settings.batches() * settings.windowsPerBatch(), length, settings.seed()).windows();
            try {
                GradientPass.Result result = GradientPass.run(context.checkpoint(), context.model(), windows,
                        settings.windowsPerBatch(), context.linearAlgebra(), progress);
                context.note(String.format(java.util.Locale.ROOT, "gradient pass: %d batches x %d windows x %d tokens, mean cross-entropy %.4f",
                        result.batches(), settings.windowsPerBatch(), length, result.meanLoss()));
                return result;
            } catch (IOException e) {
                throw new UncheckedIOException("running the gradient pass", e);
            }
        });
    }
}
