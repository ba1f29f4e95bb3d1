package io.svdwb.engine.compress.method;

import io.svdwb.engine.calibration.CalibrationStatistics;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.ProjectionInput;
import io.svdwb.engine.progress.ProgressListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The update windows' residual streams through a model compressed layer by layer (docs/METHODS.md §3.2 "propagated
 * statistics", §4.4 update): the compressed stream enters layer i after the compressed layers before it, and, for the
 * {@link SvdLlmUpdate.Target#ORIGINAL} target, the uncompressed model's stream is carried beside it. Per layer,
 * {@link #collect} runs the ORIGINAL layer on the compressed stream (as the reference does: every projection, o and
 * down included, sees the inputs the original layer computes from the propagated stream) and sums per projection
 * input the Gram {@code Hc = Xc Xcᵀ} and, for the original target, {@code K = X Xcᵀ} and {@code Hx = X Xᵀ}, token by
 * token paired; {@link #advance} then runs the compressed layer on the stream. Only n x n sums are kept, never tokens
 * beyond one batch.
 */
final class PropagatedStreams {

    /**
     * One projection input's sums, n x n DOUBLE; {@code cross} and {@code target} are {@code compressed} itself for
     * the {@link SvdLlmUpdate.Target#CURRENT} target (X = Xc).
     */
    record InputGrams(INDArray compressed, INDArray cross, INDArray target) {
        void release() {
            compressed.close();
            if (cross != compressed) {
                cross.close();
                target.close();
            }
        }
    }

    private final LlamaModel model;
    private final List<float[]> compressed;
    /** The uncompressed model's streams; null for the CURRENT target. */
    private final List<float[]> original;
    private final int[] sizes;
    private final int seqLen;

    private PropagatedStreams(LlamaModel model, List<float[]> compressed, List<float[]> original, int[] sizes, int seqLen) {
        this.model = model;
        this.compressed = compressed;
        this.original = original;
        this.sizes = sizes;
        this.seqLen = seqLen;
    }

    /** The windows embedded in batches of {@code perBatch}; the original stream is carried only when asked. */
    static PropagatedStreams embed(LlamaModel model, int[][] windows, int perBatch, boolean carryOriginal, ProgressListener progress) {
        CalibrationStatistics.Batches batches = CalibrationStatistics.embed(model, windows, perBatch, progress);
        List<float[]> original = null;
        if (carryOriginal) {
            original = new ArrayList<>();
            for (float[] stream : batches.hidden()) {
                original.add(stream.clone());
            }
        }
        return new PropagatedStreams(model, new ArrayList<>(batches.hidden()), original, batches.sizes(), batches.seqLen());
    }

    int batches() {
        return sizes.length;
    }

    /**
     * The sums of layer {@code layer}'s projection inputs; advances the original stream (if carried) through the
     * original layer, and leaves the compressed stream as it was. {@code progress} is advanced by one per batch from
     * {@code unitsDone}.
     */
    Map<ProjectionInput, InputGrams> collect(int layer, ProgressListener progress, long unitsDone) {
        LinearAlgebra la = model.linearAlgebra();
        Map<ProjectionInput, INDArray[]> sums = new EnumMap<>(ProjectionInput.class);
        for (int b = 0; b < sizes.length; b++) {
            progress.throwIfCancelled();
            int[] size = {sizes[b]};
            Map<ProjectionInput, ArrayDeque<INDArray>> targetInputs = new EnumMap<>(ProjectionInput.class);
            if (original != null) {
                model.runLayer(layer, Arrays.asList(original.get(b)), size, seqLen, (l, input, x) ->
                        targetInputs.computeIfAbsent(input, k -> new ArrayDeque<>()).add(x.dup('c')), ProgressListener.NONE, 0);
            }
            // a copy: the compressed stream must enter the compressed layer, not leave the original one
            model.runLayer(layer, Arrays.asList(compressed.get(b).clone()), size, seqLen, (l, input, xc) -> {
                INDArray[] s = sums.computeIfAbsent(input, k -> newSums((int) xc.columns()));
                INDArray xcd = denseDouble(xc);
                la.addGramLower(xcd.transpose(), s[0]);
                if (original != null) {
                    INDArray x = targetInputs.get(input).poll();
                    INDArray xd = denseDouble(x);
                    INDArray k = la.matmul(xd, true, xcd, false); // Σ_t x_t xc_tᵀ over this batch's tokens
                    s[1].addi(k);
                    la.addGramLower(xd.transpose(), s[2]);
                    k.close();
                    xd.close();
                    x.close();
                }
                xcd.close();
            }, ProgressListener.NONE, 0);
            progress.advanceTo(unitsDone + b + 1);
        }
        Map<ProjectionInput, InputGrams> out = new EnumMap<>(ProjectionInput.class);
        for (Map.Entry<ProjectionInput, INDArray[]> e : sums.entrySet()) {
            INDArray[] s = e.getValue();
            LinearAlgebra.mirrorLowerToUpper(s[0]);
            if (original == null) {
                out.put(e.getKey(), new InputGrams(s[0], s[0], s[0]));
            } else {
                LinearAlgebra.mirrorLowerToUpper(s[2]);
                out.put(e.getKey(), new InputGrams(s[0], s[1], s[2]));
            }
        }
        return out;
    }

    /** Runs layer {@code layer} with {@code substitutes} (module name to projection) on the compressed stream. */
    void advance(int layer, Map<String, Linear> substitutes) {
        model.runLayer(layer, compressed, sizes, seqLen, substitutes);
    }

    /** Runs the original layer on both streams: a layer the selection leaves dense. */
    void advanceUncompressed(int layer) {
        model.runLayer(layer, compressed, sizes, seqLen, Map.of());
        if (original != null) {
            model.runLayer(layer, original, sizes, seqLen, Map.of());
        }
    }

    private INDArray[] newSums(int features) {
        INDArray hc = Nd4j.zeros(DataType.DOUBLE, features, features);
        if (original == null) {
            return new INDArray[] {hc};
        }
        return new INDArray[] {hc, Nd4j.zeros(DataType.DOUBLE, features, features), Nd4j.zeros(DataType.DOUBLE, features, features)};
    }

    /** A dense row-major DOUBLE copy of an activation block (valid only during the listener's call). */
    private static INDArray denseDouble(INDArray activations) {
        INDArray cast = activations.castTo(DataType.DOUBLE);
        if (cast.ordering() == 'c' && !cast.isView() && cast != activations) {
            return cast;
        }
        INDArray dense = cast.dup('c');
        if (cast != activations) {
            cast.close();
        }
        return dense;
    }
}
