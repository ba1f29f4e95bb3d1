package io.svdwb.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.engine.TestData;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.tensor.NdArrays;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The listener sees each projection input of each layer once, with the right shape, and does not disturb the pass. */
class ProjectionInputListenerTest {

    @Test
    void seesEveryInputOfEveryLayerWithTheRightWidth() throws Exception {
        try (Checkpoint checkpoint = Checkpoint.open(TestData.demoModel())) {
            LlamaModel model = new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.KEEP);
            int[][] tokens = {{1, 410, 13, 410, 64}, {1, 2, 3, 4, 5}};
            float[] hidden = model.embed(tokens);
            List<String> seen = new ArrayList<>();
            float[][] downInput = new float[1][];
            model.runLayers(hidden, 2, 5, 0, model.config().numLayers(), (layer, input, x) -> {
                seen.add(layer + ":" + input);
                assertThat(x.rows()).isEqualTo(10);
                assertThat(x.columns()).isEqualTo(input.readers().get(0).inFeatures(model.config()));
                if (layer == 4 && input == ProjectionInput.MLP_HIDDEN) {
                    downInput[0] = NdArrays.toFloats(x);
                }
            });
            assertThat(seen).hasSize(5 * 4).startsWith("0:ATTENTION_INPUT", "0:ATTENTION_OUTPUT", "0:MLP_INPUT", "0:MLP_HIDDEN");
            assertThat(downInput[0]).hasSize(10 * 172);
            double norm = 0;
            for (float v : downInput[0]) {
                norm += v * v;
            }
            assertThat(norm).isGreaterThan(0.0);
            float[] plain = model.embed(tokens);
            model.runLayers(plain, 2, 5, 0, model.config().numLayers());
            assertThat(hidden).containsExactly(plain, within(0f));
        }
    }
}
