package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.kernels.LowRankFactors;
import io.svdwb.engine.compress.kernels.RealisedRatio;
import io.svdwb.engine.compress.quant.FactorStorage;
import io.svdwb.engine.compress.quant.QuantizedFactors;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LowRankLinear;
import io.svdwb.engine.model.MatrixSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects what each selected matrix becomes and derives the realised ratios from the final integer ranks. Every
 * method's factors pass through here, so this is where the factor storage of docs/METHODS.md §2.6 applies: int8
 * factors are quantised as they arrive, the model computes with their dequantised values, and the ratio is counted in
 * bits.
 */
public final class ResultAssembly {

    private final CompressionContext context;
    private final List<MatrixSpec> selected;
    /** Where plain low-rank factors are written as each matrix is done; null keeps them in memory. */
    private final java.nio.file.Path factorSpill;
    private final Map<String, Linear> replacements = new LinkedHashMap<>();
    private final Map<String, ModuleOutcome> outcomes = new HashMap<>();
    private final Map<String, String> details = new LinkedHashMap<>();
    private io.svdwb.engine.soco.SocoScores learnedScores = io.svdwb.engine.soco.SocoScores.NONE;
    private final FactorStorage storage;
    /** Bits each decided module stores (§2.6). */
    private final Map<String, Long> storedBits = new HashMap<>();
    /** Whether the method chose its ranks from the bit budget ({@link FactorStorage#rank}) rather than by parameter count. */
    private boolean ranksFromBitBudget;

    ResultAssembly(CompressionContext context, List<MatrixSpec> selected, java.nio.file.Path factorSpill, FactorStorage storage) {
        if (storage.quantized() && factorSpill != null) {
            throw new IllegalArgumentException("int8 factors (--factor-dtype int8) are kept in memory and cannot be spilled to disk as a "
                    + "streamed run does; use --residency keep, or --factor-dtype baseline");
        }
        this.context = context;
        this.selected = selected;
        this.factorSpill = factorSpill;
        this.storage = storage;
    }

    /** How the factors are stored and counted (§2.6); a method with its own rank rule reads {@link FactorStorage#rank} here. */
    public FactorStorage factorStorage() {
        return storage;
    }

    /** Records that the ranks came from {@link FactorStorage#rank}, so int8 factors met the target in bits. */
    public void ranksFromBitBudget() {
        ranksFromBitBudget = true;
    }

    /** {@code matrix} at rank k of its full decomposition {@code d}, with the loss the cut leaves. */
    public void lowRank(MatrixSpec matrix, io.svdwb.engine.compress.kernels.LowRankDecomposition d, int k) {
        lowRank(matrix, d.truncate(k), d.truncationLoss(k));
    }

    /** Replaces {@code matrix} by the float32 factors (bias, if any, stays dense on A). */
    public void lowRank(MatrixSpec matrix, LowRankFactors factors, double loss) {
        LowRankFactors f = factors.asFloat();
        LowRankLinear linear = storage.quantized() ? quantized(matrix, f, context.bias(matrix))
                : new LowRankLinear(f.a(), f.b(), context.bias(matrix), context.linearAlgebra());
        Linear kept = factorSpill == null ? linear : spill(matrix, linear, f != factors && f.a() != factors.a());
        replace(matrix, kept, new ModuleOutcome(matrix, f.rank(), 0, linear.storedWeightParameters(), loss));
        storedBits.put(module(matrix), storage.lowRankBits(matrix.rows(), matrix.cols(), f.rank()));
    }

    /** Round-to-nearest int8 of the float factors; the replacement computes with their dequantised values (§2.6). */
    private LowRankLinear quantized(MatrixSpec matrix, LowRankFactors f, org.nd4j.linalg.api.ndarray.INDArray bias) {
        float[] a = io.svdwb.engine.tensor.NdArrays.toFloats(f.a());
        float[] b = io.svdwb.engine.tensor.NdArrays.toFloats(f.b());
        QuantizedFactors q = storage.rounding() == FactorStorage.Rounding.GPTQ ? gptq(matrix, a, b, f)
                : QuantizedFactors.roundToNearest(a, b, f.rows(), f.rank(), f.cols(), matrix.tensorName());
        return new LowRankLinear(q, bias, context.linearAlgebra());
    }

    /** GPTQ on B with the matrix's input Gram H, then on A with the Gram of what A reads, B' H B'^T (B' = B dequantised). */
    private QuantizedFactors gptq(MatrixSpec matrix, float[] a, float[] b, LowRankFactors f) {
        io.svdwb.engine.linalg.LinearAlgebra linalg = context.linearAlgebra();
        org.nd4j.linalg.api.ndarray.INDArray h = context.statistics(matrix, io.svdwb.engine.progress.ProgressListener.NONE).gram();
        io.svdwb.engine.compress.quant.Int8Rows qb = io.svdwb.engine.compress.quant.GptqInt8.quantize(b, f.rank(), f.cols(), h,
                io.svdwb.engine.compress.quant.GptqInt8.DEFAULT_DAMPING, linalg, matrix.tensorName() + " B");
        org.nd4j.linalg.api.ndarray.INDArray bq = io.svdwb.engine.tensor.NdArrays.fromFloats(qb.dequantize(), f.rank(), f.cols())
                .castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        org.nd4j.linalg.api.ndarray.INDArray ha = linalg.matmul(linalg.matmul(bq, false, h, false), false, bq, true);
        io.svdwb.engine.compress.quant.Int8Rows qa = io.svdwb.engine.compress.quant.GptqInt8.quantize(a, f.rows(), f.rank(), ha,
                io.svdwb.engine.compress.quant.GptqInt8.DEFAULT_DAMPING, linalg, matrix.tensorName() + " A");
        return new QuantizedFactors(qa, qb);
    }

    private static String module(MatrixSpec matrix) {
        return matrix.kind().moduleName(matrix.layer());
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
        org.nd4j.linalg.api.ndarray.INDArray biasRow = io.svdwb.engine.tensor.NdArrays.fromFloats(bias, bias.length);
        LowRankLinear linear = storage.quantized() ? quantized(matrix, f, biasRow)
                : new LowRankLinear(f.a(), f.b(), biasRow, context.linearAlgebra());
        replace(matrix, linear, new ModuleOutcome(matrix, f.rank(), 0, linear.storedWeightParameters() + bias.length, loss));
        // the deviation vector stays float (a bias), counted at the baseline dtype
        storedBits.put(module(matrix), storage.lowRankBits(matrix.rows(), matrix.cols(), f.rank())
                + (long) bias.length * storage.baselineBits());
    }

    /**
     * Installs an arbitrary replacement (e.g. a column-preserving one), kept in float and counted at the baseline
     * dtype (§2.6: only plain rank-k pairs are quantised).
     */
    public void replace(MatrixSpec matrix, Linear linear, ModuleOutcome outcome) {
        String module = module(matrix);
        replacements.put(module, linear);
        outcomes.put(module, outcome);
        storedBits.put(module, outcome.stored() * storage.baselineBits());
    }

    /** Leaves {@code matrix} as it is (it still counts m·n in the selected set). */
    public void dense(MatrixSpec matrix) {
        outcomes.put(module(matrix), new ModuleOutcome(matrix, 0, 0, matrix.parameters(), 0));
        storedBits.put(module(matrix), storage.denseBits(matrix.rows(), matrix.cols()));
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
            selectedEntries.add(new RealisedRatio.Entry(matrix.rows(), matrix.cols(), stored(matrix, outcome)));
        }
        List<RealisedRatio.Entry> all = new ArrayList<>();
        for (MatrixSpec matrix : context.checkpoint().matrices()) {
            ModuleOutcome outcome = outcomes.get(module(matrix));
            all.add(new RealisedRatio.Entry(matrix.rows(), matrix.cols(), outcome == null
                    ? (storage.quantized() ? storage.denseBits(matrix.rows(), matrix.cols()) : matrix.parameters()) : stored(matrix, outcome)));
        }
        long modelParameters = context.checkpoint().totalParameters();
        List<String> notes = new ArrayList<>(context.drainNotes());
        if (storage.quantized() && !ranksFromBitBudget) {
            notes.add(request.method().cliName() + " chose its ranks by parameter count; the int8 factors were quantised afterwards, so "
                    + "the ratio in bits exceeds the target (docs/METHODS.md §2.6)");
        }
        return new CompressionResult(request, replacements, modules, ratio(selectedEntries, modelParameters),
                ratio(all, modelParameters), details, notes, seconds, learnedScores);
    }

    /** Parameters at the baseline (§2.2), bits with quantised factors (§2.6). */
    private long stored(MatrixSpec matrix, ModuleOutcome outcome) {
        return storage.quantized() ? storedBits.get(module(matrix)) : outcome.stored();
    }

    private RealisedRatio ratio(List<RealisedRatio.Entry> entries, long modelParameters) {
        return storage.quantized() ? RealisedRatio.ofBits(entries, storage.baselineBits(), modelParameters)
                : RealisedRatio.of(entries, modelParameters);
    }
}
