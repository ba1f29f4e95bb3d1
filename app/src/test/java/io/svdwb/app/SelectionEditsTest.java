package io.svdwb.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ModelConfig;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each edit equals the selection of the equivalent command line (the demo model: 5 layers). */
class SelectionEditsTest {

    private static ModelConfig config;
    private static List<MatrixSpec> matrices;

    @BeforeAll
    static void readDemo() throws Exception {
        try (Checkpoint checkpoint = Checkpoint.open(DemoModelLocator.find().orElseThrow())) {
            config = checkpoint.config();
            matrices = checkpoint.matrices();
        }
    }

    private static Selection parse(String layers, String modules, String exclude) {
        return Selection.parse(layers, modules, exclude, config);
    }

    private static MatrixSpec matrix(String label) {
        return matrices.stream().filter(m -> m.label().equals(label)).findFirst().orElseThrow();
    }

    @Test
    void aMatrixBoxSwitchesThatMatrixOnly() {
        Selection s = SelectionEdits.toggleMatrix(Selection.all(config), matrix("L3.q"));
        assertThat(s).isEqualTo(parse(null, null, "3.q"));
        assertThat(SelectionEdits.toggleMatrix(s, matrix("L3.q"))).isEqualTo(Selection.all(config));
        // Unchecking the last selected matrix of a layer leaves the layer out.
        Selection onlyQk = parse("1-2", "q,k", "2.k");
        assertThat(SelectionEdits.toggleMatrix(onlyQk, matrix("L2.q"))).isEqualTo(parse("1", "q,k", null));
    }

    @Test
    void checkingAMatrixOutsideLayersTimesModulesAddsItAlone() {
        // A new layer: the layer joins with its other projections excluded.
        Selection s = SelectionEdits.toggleMatrix(parse("0-2", null, null), matrix("L4.v"));
        assertThat(s).isEqualTo(parse("0-2,4", null, "4.q,4.k,4.o,4.gate,4.up,4.down"));
        assertThat(s.filter(matrices)).hasSize(3 * 7 + 1);
        // A new projection: it joins in that layer only.
        assertThat(SelectionEdits.toggleMatrix(parse("1-2", "q,k", "1.k"), matrix("L2.down")))
                .isEqualTo(parse("1-2", "q,k,down", "1.k,1.down"));
    }

    @Test
    void layerBoxesAndTheRangeKeepExclusionsInTheLayersThatStay() {
        Selection s = parse(null, null, "1.q,3.down");
        assertThat(SelectionEdits.toggleLayer(s, 1)).isEqualTo(parse("0,2-4", null, "3.down"));
        assertThat(SelectionEdits.toggleLayer(SelectionEdits.toggleLayer(s, 1), 1)).isEqualTo(parse(null, null, "3.down"));
        assertThat(SelectionEdits.layerRange(s, 2, 4)).isEqualTo(parse("2-4", null, "3.down"));
        assertThat(SelectionEdits.lastLayers(s, 1, 5)).isEqualTo(parse("4", null, null));
    }
}
