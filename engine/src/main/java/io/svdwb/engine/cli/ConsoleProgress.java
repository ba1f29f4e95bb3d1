package io.svdwb.engine.cli;

import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.progress.TrainingStep;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Draws engine progress as a console bar on stderr (stdout stays clean for results and JSON). */
final class ConsoleProgress implements ProgressListener {

    /** What the last phase was, for the out-of-memory line: the handler that prints it has no listener at hand. */
    private static volatile String lastPhase;
    private static volatile long lastUnitsDone;
    private static volatile long lastTotalUnits;

    private final boolean enabled;
    private ProgressBar bar;

    ConsoleProgress(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public void begin(String phase, long totalUnits) {
        end();
        lastPhase = phase;
        lastUnitsDone = 0;
        lastTotalUnits = totalUnits;
        if (enabled) {
            bar = new ProgressBarBuilder().setTaskName(taskName(phase)).setInitialMax(totalUnits).setMaxRenderedLength(150)
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                    .continuousUpdate().build();
        }
    }

    /** Longest phase name drawn: the bar, counts and ETA must fit beside it in an 80-column terminal. */
    static final int MAX_TASK_NAME = 40;

    /** The phase name, shortened to {@link #MAX_TASK_NAME} characters ("..." at the end) when longer. */
    static String taskName(String phase) {
        return phase.length() <= MAX_TASK_NAME ? phase : phase.substring(0, MAX_TASK_NAME - 3) + "...";
    }

    @Override
    public void advanceTo(long unitsDone) {
        lastUnitsDone = unitsDone;
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

    /** "PHASE, at N of TOTAL" for the last phase begun in this JVM, or null if none. */
    static String lastActivity() {
        String phase = lastPhase;
        if (phase == null) {
            return null;
        }
        String lowerFirst = phase.isEmpty() ? phase : Character.toLowerCase(phase.charAt(0)) + phase.substring(1);
        return lowerFirst + ", at " + lastUnitsDone + " of " + lastTotalUnits;
    }

    @Override
    public boolean isCancelled() {
        return false;
    }
}
