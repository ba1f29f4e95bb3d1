package io.svdwb.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.TestData;
import io.svdwb.engine.linalg.LinearAlgebra;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Running layers with substitutes must compute what installing the same replacement computes (the
 * same operations on the same numbers, so the logits agree exactly), and must leave the model as it was.
 */
class SubstitutedLayersTest {

    private static final LinearAlgebra LA = LinearAlgebra.cpu();
    private static final int[][] TOKENS = {{1, 410, 13, 410, 64, 410, 461, 414}, {1, 285, 413, 368, 430, 285, 64, 13}};
    private static Checkpoint checkpoint;

    @BeforeAll
    static void open() throws Exception {
        checkpoint = Checkpoint.open(TestData.demoModel());
    }

    @AfterAll
    static void close() throws Exception {
        checkpoint.close();
    }

    /** Half the stored weight: a different function, so a substitute that was ignored would show. */
    private static Linear halved(LlamaModel model, int layer, ProjectionKind kind) throws Exception {
        DenseLinear dense = model.loadDense(layer, kind);
        return new DenseLinear(dense.weight().mul(0.5f), dense.bias(), LA);
    }

    private static float[] logitsWith(LlamaModel model, Map<String, Linear> substitutes) {
        int seqLen = TOKENS[0].length;
        float[] hidden = model.embed(TOKENS);
        model.runLayers(hidden, TOKENS.length, seqLen, 0, model.config().numLayers(), substitutes);
        return model.logits(hidden, TOKENS.length * seqLen);
    }

    @Test
    void substitutesComputeWhatAnInstalledReplacementComputes() throws Exception {
        for (LlamaModel.Residency residency : LlamaModel.Residency.values()) {
            LlamaModel model = new LlamaModel(checkpoint, LA, residency);
            Linear q = halved(model, 3, ProjectionKind.Q);
            Linear down = halved(model, 1, ProjectionKind.DOWN);
            float[] substituted = logitsWith(model, Map.of(ProjectionKind.Q.moduleName(3), q,
                    ProjectionKind.DOWN.moduleName(1), down));

            LlamaModel installed = new LlamaModel(checkpoint, LA, residency);
            installed.replaceProjection(3, ProjectionKind.Q, q);
            installed.replaceProjection(1, ProjectionKind.DOWN, down);
            assertThat(substituted).as(residency.name()).containsExactly(installed.forward(TOKENS));
            assertThat(substituted).as("the substitute changed the function")
                    .isNotEqualTo(new LlamaModel(checkpoint, LA, residency).forward(TOKENS));
        }
    }

    @Test
    void theModelIsUnchangedAfterASubstitutedRun() throws Exception {
        LlamaModel model = new LlamaModel(checkpoint, LA, LlamaModel.Residency.KEEP);
        Linear own = halved(model, 2, ProjectionKind.V);
        model.replaceProjection(2, ProjectionKind.V, own);
        float[] before = model.forward(TOKENS);
        Linear residentQ = model.layer(3).projection(ProjectionKind.Q);

        logitsWith(model, Map.of(ProjectionKind.V.moduleName(2), halved(model, 2, ProjectionKind.K),
                ProjectionKind.Q.moduleName(3), halved(model, 3, ProjectionKind.Q)));

        assertThat(model.layer(2).projection(ProjectionKind.V)).isSameAs(own);
        assertThat(model.layer(3).projection(ProjectionKind.Q)).isSameAs(residentQ);
        assertThat(model.forward(TOKENS)).containsExactly(before);
    }

    @Test
    void aSubstituteOfTheWrongShapeIsRefused() {
        LlamaModel model = new LlamaModel(checkpoint, LA, LlamaModel.Residency.KEEP);
        Linear wrong = new DenseLinear(Nd4j.zeros(DataType.FLOAT, 64, 64), null, LA);
        float[] hidden = model.embed(TOKENS);
        assertThatThrownBy(() -> model.runLayers(hidden, TOKENS.length, TOKENS[0].length, 0, 1,
                Map.of(ProjectionKind.K.moduleName(0), wrong)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k_proj");
    }
}
