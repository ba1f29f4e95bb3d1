package io.svdwb.engine.cli;

import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.progress.TrainingStep;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Draws engine progress as a console bar on stderr (stdout stays clean for results and JSON). */
final class ConsoleProgress implements ProgressListener {

    private final boolean enabled;
    private ProgressBar bar;

    ConsoleProgress(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public void begin(String phase, long totalUnits) {
        end();
        if (enabled) {
            bar = new ProgressBarBuilder().setTaskName(phase).setInitialMax(totalUnits).setMaxRenderedLength(150)
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                    .continuousUpdate().build();
        }
    }

    @Override
    public void advanceTo(long unitsDone) {
        if (bar != null) {
            bar.stepTo(unitsDone);
        }
    }

    @Override
    public void trainingStep(TrainingStep step) {
        if (bar != null) {
            bar.setExtraMessage(String.format(java.util.Locale.ROOT, " KL %.4f  budget %.2e  kept %.3f (soft %.3f)",
                    step.distillation(), step.ratio(), step.aliveKept(), step.softKept()));
        }
    }

    @Override
    public void end() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public boolean isCancelled() {
        return false;
    }
}
