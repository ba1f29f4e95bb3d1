package io.svdwb.engine.soco;

import java.nio.file.Path;

/**
 * Everything that shapes a SoCo run besides the model, the calibration data and the ratio.
 *
 * @param schedule        phases, loss weights, temperatures, learning rates (§4.8 step 4)
 * @param batchWindows    calibration windows per step (§4.8: 4)
 * @param batchLength     tokens per window; 0 = the calibration window length
 * @param seed            seed of the batch order (which windows each step sees)
 * @param checkpoint      file the scores and the optimiser state are saved to during training, or null
 * @param checkpointEvery steps between checkpoint saves (a cancelled run also saves)
 * @param resume          continue from {@code checkpoint} if it exists
 * @param budgetPerScore  multiply {@code L_ratio} by the number of scores N [OURS, off by default]: {@code rhoHat} is an
 *                        average over all components, so each score's share of its gradient shrinks like 1/N; scaling
 *                        keeps lambda_r's meaning across model sizes, but on the demo model (N = 1,220) it made the
 *                        term so strong at lambda_r = 10 that every score fell below 0 together at c = 0.6
 * @param polishSteps     §4.8 step 8: steps of distillation alone on the kept scores after the hard prune (0 = none)
 * @param fillBudget      after the prune, fill budget the live components leave unused with the dead ones of highest
 *                        score, restored at multiplier 1 (their SVD-LLM value) [OURS, {@link GlobalPrune#fill}]
 * @param deviation       §4.8 step 7: a trainable vector d (m numbers, init 0) added to each compressed projection's
 *                        output and stored as its bias, counted in the budget; off by default
 */
public record SocoSettings(SocoSchedule schedule, int batchWindows, int batchLength, long seed, Path checkpoint,
                           int checkpointEvery, boolean resume, boolean budgetPerScore, int polishSteps,
                           boolean fillBudget, boolean deviation) {

    /** [OURS], measured in docs/RESULTS.md: 4 windows x 128 tokens per step, the plain budget term, 100 polish steps. */
    public static final SocoSettings DEFAULTS = new SocoSettings(SocoSchedule.DEFAULT, 4, 128, 3, null, 50, false, false, 100, true,
            false);

    public SocoSettings {
        if (batchWindows < 1) {
            throw new IllegalArgumentException("SoCo needs at least one window per step, got " + batchWindows);
        }
        if (batchLength < 0 || batchLength == 1) {
            throw new IllegalArgumentException("SoCo batch length must be 0 (calibration length) or >= 2 tokens, got " + batchLength);
        }
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("SoCo checkpoint interval must be >= 1 step, got " + checkpointEvery);
        }
        if (polishSteps < 0) {
            throw new IllegalArgumentException("SoCo polish steps must be >= 0, got " + polishSteps);
        }
        if (resume && checkpoint == null) {
            throw new IllegalArgumentException("resuming SoCo training needs a checkpoint file");
        }
    }

    public SocoSettings withSchedule(SocoSchedule s) {
        return new SocoSettings(s, batchWindows, batchLength, seed, checkpoint, checkpointEvery, resume,
                budgetPerScore, polishSteps, fillBudget, deviation);
    }

    public SocoSettings withBatch(int windows, int length) {
        return new SocoSettings(schedule, windows, length, seed, checkpoint, checkpointEvery, resume,
                budgetPerScore, polishSteps, fillBudget, deviation);
    }

    public SocoSettings withSeed(long s) {
        return new SocoSettings(schedule, batchWindows, batchLength, s, checkpoint, checkpointEvery, resume,
                budgetPerScore, polishSteps, fillBudget, deviation);
    }

    public SocoSettings withCheckpoint(Path file, int every, boolean resumeFromIt) {
        return new SocoSettings(schedule, batchWindows, batchLength, seed, file, every, resumeFromIt,
                budgetPerScore, polishSteps, fillBudget, deviation);
    }

    public SocoSettings withBudgetPerScore(boolean perScore) {
        return new SocoSettings(schedule, batchWindows, batchLength, seed, checkpoint, checkpointEvery, resume,
                perScore, polishSteps, fillBudget, deviation);
    }

    public SocoSettings withFillBudget(boolean fill) {
        return new SocoSettings(schedule, batchWindows, batchLength, seed, checkpoint, checkpointEvery, resume, budgetPerScore,
                polishSteps, fill, deviation);
    }

    public SocoSettings withDeviation(boolean on) {
        return new SocoSettings(schedule, batchWindows, batchLength, seed, checkpoint, checkpointEvery, resume, budgetPerScore,
                polishSteps, fillBudget, on);
    }

    public SocoSettings withPolish(int steps) {
        return new SocoSettings(schedule, batchWindows, batchLength, seed, checkpoint, checkpointEvery, resume,
                budgetPerScore, steps, fillBudget, deviation);
    }

    /** What the learned scores depend on (the checkpoint file only stores them, so it is not part of it). */
    public String key() {
        return schedule.describe() + " batch=" + batchWindows + "x" + batchLength + " seed=" + seed + (budgetPerScore ? " budget=per-score" : " budget=plain")
                + " polish=" + polishSteps + (fillBudget ? " fill" : "") + (deviation ? " deviation" : "");
    }
}
