package io.svdwb.engine.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.bench.SyntheticCheckpoint;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.model.ProjectionKind;
import org.junit.jupiter.api.Test;

class SelectionTest {

    private static final ModelConfig EIGHT_LAYERS = SyntheticCheckpoint.llama7b(8);

    @Test
    void layersAndModulesParse() {
        Selection s = Selection.parse("0-3,6", "q,k,v,down", EIGHT_LAYERS);
        assertThat(s.layers().stream().toArray()).containsExactly(0, 1, 2, 3, 6);
        assertThat(s.modules()).containsExactly(ProjectionKind.Q, ProjectionKind.K, ProjectionKind.V, ProjectionKind.DOWN);
        assertThat(s.describe()).isEqualTo("layers 0-3,6; modules q,k,v,down");
    }

    @Test
    void theCommandLineFormsParseBackToTheSameSelection() {
        Selection s = Selection.parse("7,1-2,4", "down,q,gate", EIGHT_LAYERS);
        assertThat(s.layerSpec()).isEqualTo("1-2,4,7");
        assertThat(s.moduleSpec()).isEqualTo("q,gate,down");
        assertThat(Selection.parse(s.layerSpec(), s.moduleSpec(), EIGHT_LAYERS)).isEqualTo(s);
        assertThat(Selection.all(EIGHT_LAYERS).layerSpec()).isEqualTo("0-7");
    }

    @Test
    void blankMeansEverything() {
        Selection s = Selection.parse(null, " ", EIGHT_LAYERS);
        assertThat(s.layers().cardinality()).isEqualTo(8);
        assertThat(s.modules()).hasSize(7);
        assertThat(s.filter(io.svdwb.engine.model.MatrixSpec.all(EIGHT_LAYERS))).hasSize(8 * 7);
    }

    @Test
    void badSelectionsAreNamed() {
        assertThatThrownBy(() -> Selection.parse("0-8", null, EIGHT_LAYERS)).hasMessageContaining("layer 8 is out of range: the model has layers 0-7");
        assertThatThrownBy(() -> Selection.parse("5-2", null, EIGHT_LAYERS)).hasMessageContaining("ends before it starts");
        assertThatThrownBy(() -> Selection.parse("x", null, EIGHT_LAYERS)).hasMessageContaining("'x' is not an index");
        assertThatThrownBy(() -> Selection.parse(null, "q,lm_head", EIGHT_LAYERS))
                .hasMessageContaining("unknown module 'lm_head'").hasMessageContaining("q, k, v, o, gate, up, down");
    }
}
