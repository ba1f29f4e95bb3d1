package io.svdwb.engine.compress.method;

import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.ModelConfig;
import java.util.List;
import java.util.Map;

/**
 * A compression method: its name, its description, the options it owns and how it runs. Everything that differs between
 * methods is here, so the CLI, the workbench, sessions, sweeps and manifests read it from the method instead of branching
 * on its name. A new method is one package with an implementation of this interface plus one line in {@link Methods}.
 */
public interface CompressionMethod {

    /** The command-line name ({@code svd-llm}); also the key in sessions, sweeps and manifests. */
    String name();

    /** One line for {@code --help} and the workbench's method list, with the section of docs/METHODS.md. */
    String summary();

    /** Whether the method reads activation statistics, so that a calibration run comes first. */
    boolean needsCalibration();

    /** Every option the method reads, with its default; shared ones (whitening, probe windows) are in {@link SharedOptions}. */
    List<MethodOption> options();

    /** The options the workbench shows as controls beside the ratio slider (the others keep their defaults there). */
    default List<Knob> workbenchKnobs() {
        return List.of();
    }

    /** Compresses {@code run.selected()} into {@code run.result()}; only orchestration, the numerics live in kernels. */
    void apply(MethodRun run);

    /**
     * Checks settings beyond each option's own range (values that only make sense together, files), so that a bad run is
     * refused when it is asked for rather than minutes later; the error names the option.
     */
    default void validate(MethodSettings settings) {
    }

    /** The norm each matrix's reported truncation loss is in, for the workbench's heat map legend. */
    default String lossMetric() {
        return "in the method's own metric";
    }

    /**
     * Whether the method can start from ranks chosen elsewhere, such as an imported rank map (docs/METHODS.md §2.7);
     * those that can say how in {@link #atGivenRanks}.
     */
    default boolean takesGivenRanks() {
        return false;
    }

    /** How the method factors one matrix at a rank chosen elsewhere, for {@link #takesGivenRanks()} methods. */
    default RankedFactoring atGivenRanks(MethodRun run) {
        throw new UnsupportedOperationException(name() + " does not start from given ranks");
    }

    /** Factors one matrix at rank k into the result. */
    @FunctionalInterface
    interface RankedFactoring {
        void apply(io.svdwb.engine.model.MatrixSpec matrix, int k, ResultAssembly result);

        /** k columns of {@code recipe}'s cached decomposition: the uniform-rank methods' way. */
        static RankedFactoring truncation(CompressionContext context, DecompositionRecipe recipe) {
            return (matrix, k, result) -> {
                var d = context.decomposition(recipe, matrix, io.svdwb.engine.progress.ProgressListener.NONE);
                result.lowRank(matrix, d, k);
            };
        }
    }

    /**
     * Named settings a sweep can run beside the method's own: {@code name+variant} (e.g. {@code svd-llm+update}) is the
     * method with the variant's options set on top of the sweep's; several combine ({@code svd-llm+v2+update}).
     */
    default Map<String, Map<String, String>> sweepVariants() {
        return Map.of();
    }

    /** Every option at its default. */
    default MethodSettings defaults() {
        return MethodSettings.defaults(options());
    }

    /** A few words on the settings that tell two runs apart ("α 0.50, rank search"), or "" when there are none. */
    default String describe(MethodSettings settings) {
        return "";
    }

    /**
     * Memory the method needs beyond the layer-major pipeline's own, checked against the budget before it starts, with
     * what it is for; null when it needs none.
     */
    default MemoryNeed extraMemory(ModelConfig config, MethodSettings settings) {
        return null;
    }

    /** Why an export of this request's result could not be stored in {@code source}'s layout, or null when it can. */
    default String exportProblem(Checkpoint source, CompressionRequest request) {
        return null;
    }

    /**
     * An option as a workbench control: a spinner for a number (moving by {@code step}), a check box for on/off, a
     * choice box otherwise, labelled by {@code caption}.
     */
    record Knob(MethodOption option, String caption, double step) {
        public Knob(MethodOption option, String caption) {
            this(option, caption, option instanceof MethodOption.Number n && n.integral() ? 1 : 0.01);
        }
    }

    /** Bytes and what they are for, as the memory budget reports them. */
    record MemoryNeed(long bytes, String purpose) {
    }
}
