package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.kernels.LowRankFactors;
import io.svdwb.engine.compress.kernels.RealisedRatio;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LowRankLinear;
import io.svdwb.engine.model.MatrixSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects what each selected matrix becomes and derives the realised ratios from the final integer ranks. */
public final class ResultAssembly {

    private final CompressionContext context;
    private final List<MatrixSpec> selected;
    /** Where plain low-rank factors are written as each matrix is done; null keeps them in memory. */
    private final java.nio.file.Path factorSpill;
    private final Map<String, Linear> replacements = new LinkedHashMap<>();
    private final Map<String, ModuleOutcome> outcomes = new HashMap<>();
    private final Map<String, String> details = new LinkedHashMap<>();
    private io.svdwb.engine.soco.SocoScores learnedScores = io.svdwb.engine.soco.SocoScores.NONE;

    ResultAssembly(CompressionContext context, List<MatrixSpec> selected, java.nio.file.Path factorSpill) {
        this.context = context;
        this.selected = selected;
        this.factorSpill = factorSpill;
    }

    /** Replaces {@code matrix} by the float32 factors (bias, if any, stays dense on A). */
    public void lowRank(MatrixSpec matrix, LowRankFactors factors, double loss) {
        LowRankFactors f = factors.asFloat();
        LowRankLinear linear = new LowRankLinear(f.a(), f.b(), context.bias(matrix), context.linearAlgebra());
        Linear kept = factorSpill == null ? linear : spill(matrix, linear, f != factors && f.a() != factors.a());
        replace(matrix, kept, new ModuleOutcome(matrix, f.rank(), 0, linear.storedWeightParameters(), loss));
    }

    /** Writes the factors to the spill folder; frees the float copies when they are ours alone. */
    private Linear spill(MatrixSpec matrix, LowRankLinear linear, boolean ownsFactors) {
        java.nio.file.Path file = factorSpill.resolve(matrix.kind().moduleName(matrix.layer()) + ".f32");
        try {
            io.svdwb.engine.model.SpilledLowRankLinear spilled = io.svdwb.engine.model.SpilledLowRankLinear.spill(linear, file);
            if (ownsFactors) {
                linear.a().close();
                linear.b().close();
            }
            return spilled;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("spilling the factors of " + matrix.tensorName() + " to " + file, e);
        }
    }

    /**
     * Replaces {@code matrix} by the factors with {@code extraBias} added to its bias (SoCo's deviation term); the m
     * bias numbers count as stored, unlike an original bias (§2.4).
     */
    public void lowRankWithBias(MatrixSpec matrix, LowRankFactors factors, double[] extraBias, double loss) {
        LowRankFactors f = factors.asFloat();
        org.nd4j.linalg.api.ndarray.INDArray original = context.bias(matrix);
        float[] bias = new float[extraBias.length];
        float[] base = original == null ? new float[extraBias.length] : io.svdwb.engine.tensor.NdArrays.toFloats(original.castTo(
                org.nd4j.linalg.api.buffer.DataType.FLOAT));
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) (base[i] + extraBias[i]);
        }
        LowRankLinear linear = new LowRankLinear(f.a(), f.b(), io.svdwb.engine.tensor.NdArrays.fromFloats(bias, bias.length),
                context.linearAlgebra());
        replace(matrix, linear, new ModuleOutcome(matrix, f.rank(), 0, linear.storedWeightParameters() + bias.length, loss));
    }

    /** Installs an arbitrary replacement (e.g. a column-preserving one). */
    public void replace(MatrixSpec matrix, Linear linear, ModuleOutcome outcome) {
        String module = matrix.kind().moduleName(matrix.layer());
        replacements.put(module, linear);
        outcomes.put(module, outcome);
    }

    /** Leaves {@code matrix} as it is (it still counts m·n in the selected set). */
    public void dense(MatrixSpec matrix) {
        outcomes.put(matrix.kind().moduleName(matrix.layer()), new ModuleOutcome(matrix, 0, 0, matrix.parameters(), 0));
    }

    /** The scores a learned method (SoCo) trained, to be saved beside an export. */
    public void learnedScores(io.svdwb.engine.soco.SocoScores scores) {
        learnedScores = scores;
    }

    public void detail(String key, String value) {
        details.put(key, value);
    }

    CompressionResult finish(CompressionRequest request, double seconds) {
        List<ModuleOutcome> modules = new ArrayList<>();
        List<RealisedRatio.Entry> selectedEntries = new ArrayList<>();
        for (MatrixSpec matrix : selected) {
            String module = matrix.kind().moduleName(matrix.layer());
            ModuleOutcome outcome = outcomes.get(module);
            if (outcome == null) {
                throw new IllegalStateException(module + " was selected but the method decided nothing for it");
            }
            modules.add(outcome);
            selectedEntries.add(new RealisedRatio.Entry(matrix.rows(), matrix.cols(), outcome.stored()));
        }
        List<RealisedRatio.Entry> all = new ArrayList<>();
        for (MatrixSpec matrix : context.checkpoint().matrices()) {
            ModuleOutcome outcome = outcomes.get(matrix.kind().moduleName(matrix.layer()));
            all.add(new RealisedRatio.Entry(matrix.rows(), matrix.cols(), outcome == null ? matrix.parameters() : outcome.stored()));
        }
        long modelParameters = context.checkpoint().totalParameters();
        return new CompressionResult(request, replacements, modules, RealisedRatio.of(selectedEntries, modelParameters),
                RealisedRatio.of(all, modelParameters), details, context.drainNotes(), seconds, learnedScores);
    }
}
