package io.svdwb.engine.compress.method;

import io.svdwb.engine.soco.SocoSchedule;
import io.svdwb.engine.soco.SocoSettings;
import java.nio.file.Path;
import java.util.List;

/** SoCo's options (§4.8, all [OURS]) and their translation to and from the trainer's {@link SocoSettings}. */
public final class SocoOptions {

    private SocoOptions() {
    }

    private static final SocoSettings D = SocoSettings.DEFAULTS;
    private static final SocoSchedule S = D.schedule();

    static final MethodOption.Numbers STEPS = new MethodOption.Numbers("soco-steps",
            new double[] {S.explorationSteps(), S.refinementSteps(), S.sparsificationSteps()},
            "SoCo steps of the exploration, refinement and sparsification phases [OURS].");
    static final MethodOption.Number LAMBDA_RATIO = MethodOption.Number.real("soco-lambda-ratio", S.lambdaRatio(), 0, 1e9,
            "SoCo budget term weight lambda_r [OURS].");
    static final MethodOption.Numbers LAMBDA_SPARSE = new MethodOption.Numbers("soco-lambda-sparse",
            new double[] {S.sparseStart(), S.sparseEnd()}, "SoCo sparsity weight lambda_s, rising linearly over phase 3 [OURS].");
    static final MethodOption.Numbers TEMPERATURES = new MethodOption.Numbers("soco-temperatures", new double[] {S.t1(), S.t2(), S.t3()},
            "SoCo sigmoid temperatures: phase 1, end of phase 2, end of phase 3 [OURS].");
    static final MethodOption.Numbers LEARNING_RATES = new MethodOption.Numbers("soco-lr", new double[] {S.lr1(), S.lr2(), S.lr3()},
            "SoCo AdamW learning rates of the three phases [OURS].");
    static final MethodOption.Number ALTERNATION = MethodOption.Number.integer("soco-alternation", S.alternationPeriod(), 1, 1 << 30,
            "SoCo phase 2: the budget term switches on and off every STEPS steps [OURS].");
    static final MethodOption.Choice BUDGET_SCALE = new MethodOption.Choice("soco-budget-scale", List.of("per-score", "plain"),
            D.budgetPerScore() ? "per-score" : "plain", "SoCo: multiply the budget term by the number of scores (per-score) or not [OURS].");
    static final MethodOption.Number POLISH = MethodOption.Number.integer("soco-polish", D.polishSteps(), 0, 1 << 30,
            "SoCo: steps of distillation on the kept scores after the hard prune, at the phase-1 rate (§4.8 step 8) [OURS].");
    static final MethodOption.Choice FILL_BUDGET = MethodOption.Choice.onOff("soco-fill-budget", D.fillBudget(),
            "SoCo: fill budget left by dead components with the best-scored dead ones at multiplier 1 [OURS].");
    static final MethodOption.Choice DEVIATION = MethodOption.Choice.onOff("soco-deviation", D.deviation(),
            "SoCo: train a per-output deviation vector d added to each compressed projection (§4.8 step 7; stored as a bias, "
                    + "which LLaMA exports cannot hold) [OURS].");
    static final MethodOption.Number BATCH = MethodOption.Number.integer("soco-batch", D.batchWindows(), 1, 1 << 20,
            "SoCo calibration windows per step [OURS].");
    static final MethodOption.Number BATCH_LENGTH = MethodOption.Number.integer("soco-batch-length", D.batchLength(), 0, 1 << 20,
            "SoCo tokens per window; 0 = the calibration length.");
    static final MethodOption.Number SEED = MethodOption.Number.integer("soco-seed", D.seed(), 0, Integer.MAX_VALUE,
            "Seed of SoCo's batch order.");
    static final MethodOption.Text CHECKPOINT = new MethodOption.Text("soco-checkpoint", "",
            "Save SoCo's scores and optimiser state to this file during training (and when cancelled).");
    static final MethodOption.Number CHECKPOINT_EVERY = MethodOption.Number.integer("soco-checkpoint-every", D.checkpointEvery(), 1,
            1 << 30, "Steps between SoCo checkpoints.");
    static final MethodOption.Choice RESUME = MethodOption.Choice.onOff("soco-resume", D.resume(),
            "Continue SoCo training from --soco-checkpoint if that file exists.");

    static final List<MethodOption> ALL = List.of(STEPS, LAMBDA_RATIO, LAMBDA_SPARSE, TEMPERATURES, LEARNING_RATES, ALTERNATION,
            BUDGET_SCALE, POLISH, FILL_BUDGET, DEVIATION, BATCH, BATCH_LENGTH, SEED, CHECKPOINT, CHECKPOINT_EVERY, RESUME);

    /** The trainer's settings from the method's; the errors of SocoSchedule/SocoSettings name what is wrong. */
    public static SocoSettings settings(MethodSettings s) {
        double[] steps = s.numbers(STEPS);
        double[] sparse = s.numbers(LAMBDA_SPARSE);
        double[] t = s.numbers(TEMPERATURES);
        double[] lr = s.numbers(LEARNING_RATES);
        for (double step : steps) {
            if (step != Math.rint(step) || step < 0) {
                throw new IllegalArgumentException("--soco-steps takes whole step counts >= 0, got " + s.text(STEPS.name()));
            }
        }
        SocoSchedule schedule = new SocoSchedule((int) steps[0], (int) steps[1], (int) steps[2], s.number(LAMBDA_RATIO),
                s.integer(ALTERNATION), sparse[0], sparse[1], t[0], t[1], t[2], lr[0], lr[1], lr[2]);
        String checkpoint = s.text(CHECKPOINT);
        return new SocoSettings(schedule, s.integer(BATCH), s.integer(BATCH_LENGTH), s.longValue(SEED),
                checkpoint.isEmpty() ? null : Path.of(checkpoint), s.integer(CHECKPOINT_EVERY), s.on(RESUME),
                s.choice(BUDGET_SCALE).equals("per-score"), s.integer(POLISH), s.on(FILL_BUDGET), s.on(DEVIATION));
    }

    /** {@code base} with every SoCo option set from {@code settings}: how the workbench's SoCo panel edits them. */
    public static MethodSettings with(MethodSettings base, SocoSettings settings) {
        SocoSchedule c = settings.schedule();
        return base.with(STEPS.name(), c.explorationSteps() + "," + c.refinementSteps() + "," + c.sparsificationSteps())
                .with(LAMBDA_RATIO, c.lambdaRatio())
                .with(LAMBDA_SPARSE.name(), c.sparseStart() + "," + c.sparseEnd())
                .with(TEMPERATURES.name(), c.t1() + "," + c.t2() + "," + c.t3())
                .with(LEARNING_RATES.name(), c.lr1() + "," + c.lr2() + "," + c.lr3())
                .with(ALTERNATION, c.alternationPeriod())
                .with(BUDGET_SCALE, settings.budgetPerScore() ? "per-score" : "plain")
                .with(POLISH, settings.polishSteps())
                .with(FILL_BUDGET, settings.fillBudget())
                .with(DEVIATION, settings.deviation())
                .with(BATCH, settings.batchWindows())
                .with(BATCH_LENGTH, settings.batchLength())
                .with(SEED, settings.seed())
                .with(CHECKPOINT.name(), settings.checkpoint() == null ? "" : settings.checkpoint().toString())
                .with(CHECKPOINT_EVERY, settings.checkpointEvery())
                .with(RESUME, settings.resume());
    }
}
