package io.svdwb.engine.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.bench.SyntheticCheckpoint;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.model.ProjectionKind;
import java.util.Set;
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

    @Test
    void exclusionsParseDescribeAndParseBack() {
        Selection s = Selection.parse("0-3,6", "q,k,down", "6.down, 1.q,1.k", EIGHT_LAYERS);
        assertThat(s.excluded()).containsExactly(new Selection.Matrix(1, ProjectionKind.Q), new Selection.Matrix(1, ProjectionKind.K),
                new Selection.Matrix(6, ProjectionKind.DOWN));
        assertThat(s.excludeSpec()).isEqualTo("1.q,1.k,6.down");
        assertThat(s.describe()).isEqualTo("layers 0-3,6; modules q,k,down; excluding 1.q,1.k,6.down");
        assertThat(Selection.parse(s.layerSpec(), s.moduleSpec(), s.excludeSpec(), EIGHT_LAYERS)).isEqualTo(s);
        // 5 layers x 3 modules less 3 matrices
        assertThat(s.filter(MatrixSpec.all(EIGHT_LAYERS))).hasSize(12)
                .noneMatch(m -> m.label().equals("L1.q") || m.label().equals("L1.k") || m.label().equals("L6.down"));
        assertThat(Selection.parse(null, null, " ", EIGHT_LAYERS)).isEqualTo(Selection.all(EIGHT_LAYERS));
        assertThat(Selection.all(EIGHT_LAYERS).describe()).isEqualTo("layers 0-7; modules q,k,v,o,gate,up,down");
    }

    @Test
    void aLayerWithEverySelectedMatrixExcludedIsNotSelected() {
        // One set of matrices, one form: excluding both selected matrices of layer 2 is leaving layer 2 out.
        Selection s = Selection.parse("1-3", "q,v", "2.q,2.v,3.v", EIGHT_LAYERS);
        assertThat(s).isEqualTo(Selection.parse("1,3", "q,v", "3.v", EIGHT_LAYERS));
        assertThat(s.describe()).isEqualTo("layers 1,3; modules q,v; excluding 3.v");
        // An exclusion outside layers x modules excludes nothing and is not kept.
        Selection built = new Selection(s.layers(), s.modules(), Set.of(new Selection.Matrix(5, ProjectionKind.Q),
                new Selection.Matrix(1, ProjectionKind.DOWN)));
        assertThat(built).isEqualTo(Selection.parse("1,3", "q,v", EIGHT_LAYERS));
        assertThat(built.excluded()).isEmpty();
        // Taking an exclusion back restores the matrix.
        assertThat(s.excluding(new Selection.Matrix(3, ProjectionKind.V), false)).isEqualTo(Selection.parse("1,3", "q,v", EIGHT_LAYERS));
    }

    @Test
    void badExclusionsAreNamed() {
        assertThatThrownBy(() -> Selection.parse(null, null, "3.qq", EIGHT_LAYERS))
                .hasMessage("exclusion '3.qq': unknown module 'qq'; known: q, k, v, o, gate, up, down");
        assertThatThrownBy(() -> Selection.parse(null, null, "8.q", EIGHT_LAYERS))
                .hasMessage("layer 8 of exclusion '8.q' is out of range: the model has layers 0-7");
        for (String bad : new String[] {"3", "q", "x.q", "3.", ".q"}) {
            assertThatThrownBy(() -> Selection.parse(null, null, "1.q," + bad, EIGHT_LAYERS)).as(bad)
                    .hasMessage("exclusion '" + bad + "' is not layer.projection, e.g. 3.q");
        }
        assertThatThrownBy(() -> Selection.parse("0-3", "q,k", "5.q", EIGHT_LAYERS))
                .hasMessage("cannot exclude 5.q: it is not selected (layers 0-3; modules q,k)");
        assertThatThrownBy(() -> Selection.parse("0-3", "q,k", "2.v", EIGHT_LAYERS))
                .hasMessage("cannot exclude 2.v: it is not selected (layers 0-3; modules q,k)");
    }
}
