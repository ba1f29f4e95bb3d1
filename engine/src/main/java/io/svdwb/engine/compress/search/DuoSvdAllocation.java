package io.svdwb.engine.compress.search;

import io.svdwb.engine.compress.allocation.ModuleKnapsack;
import io.svdwb.engine.compress.allocation.ModuleKnapsack.Option;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Duo-SVD's module-level allocation, docs/METHODS.md §4.6 step 3: a knapsack over modules in model order that
 * minimises the summed KL increases Delta_j(p_j) with {@code sum cost_j(p_j)} at or below
 * {@code rho0 * sum m n}. Costs are what the probed candidates store ({@code floor(p m n/(m+n)) (m+n)} for
 * a rank-k(p) factory, {@code m n} for p = 1.0). [OURS] Where the reference takes the state closest to
 * the budget even above it, this takes the closest state at or below it ({@link ModuleKnapsack}).
 */
public final class DuoSvdAllocation {

    /** Smallest kept ratio offered to the knapsack [CODE]. */
    public static final double MIN_RATIO = 0.1;
    /** Discretisation of the knapsack's cost axis [CODE]. */
    public static final int MAX_STATES = 10_000;

    /**
     * @param keptRatios          p per module; 1.0 = keep dense
     * @param keptParameters      sum of the chosen candidates' stored parameters, at most {@code budget}
     * @param predictedKlIncrease sum of the chosen Delta_j(p_j) (assumes additivity)
     * @param sensitivity         the table the choice was made on (for display)
     */
    public record Result(List<MatrixSpec> modules, double[] keptRatios, long keptParameters, long budget,
                         long originalParameters, double predictedKlIncrease, DuoSvdSensitivity sensitivity) {

        public Result {
            modules = List.copyOf(modules);
            keptRatios = keptRatios.clone();
        }

        @Override
        public double[] keptRatios() {
            return keptRatios.clone();
        }

        public double keptFraction() {
            return (double) keptParameters / originalParameters;
        }

        /** Kept ratio by module name ({@code ProjectionKind.moduleName(layer)}), 1.0 = dense. */
        public Map<String, Double> byModule() {
            return KeptRatios.byModule(modules, keptRatios);
        }
    }

    private DuoSvdAllocation() {
    }

    /** Sensitivity (step 2) then allocation (step 3) with the reference's defaults. */
    public static Result run(CalibrationProbe probe, List<MatrixSpec> modules, double rho0, ReplacementFactory factory,
                             ProgressListener progress) {
        return allocate(DuoSvdSensitivity.measure(probe, modules, rho0, factory, progress), MIN_RATIO, MAX_STATES);
    }

    /**
     * @throws IllegalArgumentException if no combination of the offered ratios fits the budget
     */
    public static Result allocate(DuoSvdSensitivity sensitivity, double minRatio, int maxStates) {
        SensitivityTable table = sensitivity.delta();
        double[] ratios = table.keptRatios();
        List<List<Option>> options = new ArrayList<>();
        List<int[]> offered = new ArrayList<>();
        for (int j = 0; j < table.matrices().size(); j++) {
            List<Option> opts = new ArrayList<>();
            List<Integer> columns = new ArrayList<>();
            for (int i = 0; i < ratios.length; i++) {
                if (ratios[i] >= minRatio - 1e-12) {
                    double loss = table.value(j, i);
                    // a diverged probe (NaN) is the worst possible choice, never a free one
                    opts.add(new Option(table.stored(j, i), Double.isNaN(loss) ? Double.POSITIVE_INFINITY : loss));
                    columns.add(i);
                }
            }
            options.add(opts);
            offered.add(columns.stream().mapToInt(Integer::intValue).toArray());
        }
        long original = table.originalParameters();
        long budget = (long) Math.floor(sensitivity.rho0() * original);
        ModuleKnapsack.Allocation a = ModuleKnapsack.solve(options, budget, maxStates, ModuleKnapsack.Objective.CLOSEST_TO_BUDGET);
        if (a == null) {
            throw new IllegalArgumentException("no allocation with kept ratios >= " + minRatio + " fits the budget of "
                    + budget + " parameters (" + sensitivity.rho0() + " of " + original + ")");
        }
        double[] kept = new double[a.choice().length];
        for (int j = 0; j < kept.length; j++) {
            kept[j] = ratios[offered.get(j)[a.choice()[j]]];
        }
        return new Result(table.matrices(), kept, a.cost(), budget, original, a.loss(), sensitivity);
    }
}
