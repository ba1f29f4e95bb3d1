package io.svdwb.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.TestData;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.tensor.NdArrays;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A streamed pass hands each layer's released weight arrays to the next layer's load (a fresh array costs a page fault
 * per 4 KB, half of a LLaMA-7B layer's load), and the pool never outlives that: it is empty after the next load and
 * after the pass. Reused memory must hold exactly the next layer's weights, so the pass's arithmetic is bit for bit
 * that of a model that keeps every layer.
 */
class WeightPoolTest {

    @Test
    void eachLayerReusesThePreviousLayersArraysAndThePassEndsWithNothingPooled() throws Exception {
        try (Checkpoint checkpoint = Checkpoint.open(TestData.demoModel())) {
            LlamaModel streamed = new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.STREAM);
            LlamaModel kept = new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.KEEP);
            int layers = streamed.config().numLayers();
            int[][] windows = {{1, 5, 9, 13, 200, 7, 3, 44}, {2, 6, 10, 14, 100, 8, 4, 45}};
            List<float[]> hidden = new ArrayList<>(List.of(streamed.embed(windows)));
            float[] reference = kept.embed(windows);

            Set<INDArray> previous = Collections.newSetFromMap(new IdentityHashMap<>());
            for (int layer = 0; layer < layers; layer++) {
                int index = layer;
                Set<INDArray> current = Collections.newSetFromMap(new IdentityHashMap<>());
                streamed.runLayer(layer, hidden, new int[] {windows.length}, windows[0].length, ProjectionInputListener.NONE,
                        ProgressListener.NONE, 0, ran -> {
                            assertThat(streamed.reusableWeightCount()).as("pooled while layer %d runs", index).isZero();
                            for (ProjectionKind kind : ProjectionKind.values()) {
                                INDArray weight = ((DenseLinear) ran.projection(kind)).weight();
                                current.add(weight);
                                float[] expected = NdArrays.toFloats(((DenseLinear) kept.layer(index).projection(kind)).weight());
                                assertThat(NdArrays.toFloats(weight)).as("%s of layer %d", kind, index).containsExactly(expected);
                            }
                        });
                if (layer > 0) {
                    Set<INDArray> reused = Collections.newSetFromMap(new IdentityHashMap<>());
                    reused.addAll(current);
                    reused.retainAll(previous);
                    assertThat(reused).as("arrays of layer %d reused by layer %d", layer - 1, layer)
                            .hasSize(ProjectionKind.values().length);
                }
                assertThat(streamed.reusableWeightCount()).as("pooled after layer %d", layer)
                        .isEqualTo(layer + 1 < layers ? ProjectionKind.values().length : 0);
                previous = current;
                kept.runLayers(reference, windows.length, windows[0].length, layer, layer + 1);
            }
            assertThat(hidden.get(0)).containsExactly(reference);
        }
    }

    @Test
    void aPassStoppedEarlyLeavesOneLayerPooledUntilFreedAndASecondReleaseIsANoOp() throws Exception {
        try (Checkpoint checkpoint = Checkpoint.open(TestData.demoModel())) {
            LlamaModel streamed = new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.STREAM);
            int[][] windows = {{1, 5, 9, 13}};
            List<float[]> hidden = new ArrayList<>(List.of(streamed.embed(windows)));
            streamed.runLayer(0, hidden, new int[] {1}, 4, ProjectionInputListener.NONE, ProgressListener.NONE, 0);
            assertThat(streamed.reusableWeightCount()).isEqualTo(ProjectionKind.values().length);
            streamed.freeReusableWeights();
            assertThat(streamed.reusableWeightCount()).isZero();

            WeightPool pool = new WeightPool(4);
            DenseLinear dense = streamed.loadDense(0, ProjectionKind.Q);
            dense.releaseTo(pool);
            dense.releaseTo(pool);
            assertThat(pool.size()).isEqualTo(1);
            pool.drain();
        }
    }
}
