package io.svdwb.engine.compress.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ProjectionKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PLC arithmetic of docs/METHODS.md §4.7 component 2 on hand cases and LLaMA-7B shapes (no model needed). */
class ResSvdLayerSearchTest {

    /** 32 layers of LLaMA-7B: q/k/v/o 4096 x 4096, gate/up 11008 x 4096, down 4096 x 11008. */
    private static List<MatrixSpec> llama7b(int layers) {
        List<MatrixSpec> specs = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            for (ProjectionKind kind : ProjectionKind.values()) {
                int rows = kind == ProjectionKind.GATE || kind == ProjectionKind.UP ? 11008 : 4096;
                int cols = kind == ProjectionKind.DOWN ? 11008 : 4096;
                specs.add(new MatrixSpec(l, kind, kind.weightName(l), rows, cols));
            }
        }
        return specs;
    }

    @Test
    void minimumLayersAndLayerRatioByHand() {
        // 32 x 0.4 / 0.9 = 14.22 -> 15; R_l = 12.8 / 15
        assertThat(ResSvdLayerSearch.minimumLayers(32, 0.4, 0.9)).isEqualTo(15);
        assertThat(ResSvdLayerSearch.plan(llama7b(32), 0.4, 15, 0.9).layerRatio()).isCloseTo(0.853333, within(1e-6));
        // 32 x 0.2 / 0.9 = 7.11 -> 8; R_l = 6.4 / 8 = 0.8
        assertThat(ResSvdLayerSearch.minimumLayers(32, 0.2, 0.9)).isEqualTo(8);
        // 30 x 0.27 / 0.9 = 9 exactly, though the double computation gives 9.000000000000002
        assertThat(30 * 0.27 / 0.9).isGreaterThan(9.0);
        assertThat(ResSvdLayerSearch.minimumLayers(30, 0.27, 0.9)).isEqualTo(9);
        // 5 x 0.2 / 0.9 = 1.11 -> 2
        assertThat(ResSvdLayerSearch.minimumLayers(5, 0.2, 0.9)).isEqualTo(2);
        assertThat(ResSvdLayerSearch.candidateLayerCounts(32, 0.4, 0.9)).containsExactly(15, 17, 19, 21, 23, 25, 27, 29, 31, 32);
        assertThat(ResSvdLayerSearch.candidateLayerCounts(5, 0.2, 0.9)).containsExactly(2, 4, 5);
        assertThat(ResSvdLayerSearch.candidateLayerCounts(16, 0.45, 0.9)).containsExactly(8, 10, 12, 14, 16);
    }

    @Test
    void theLastKSelectedLayersAreCompressed() {
        List<MatrixSpec> layers2to6 = llama7b(7).stream().filter(m -> m.layer() >= 2).toList();
        ResSvdLayerSearch.Plan plan = ResSvdLayerSearch.plan(layers2to6, 0.3, 3, 0.9);
        assertThat(plan.compressedLayers()).containsExactly(4, 5, 6);
        assertThat(plan.layerRatio()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void infeasibleTargetsAndLayerCountsAreRefusedClearly() {
        assertThatThrownBy(() -> ResSvdLayerSearch.minimumLayers(32, 0.95, 0.9))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("95.0 %").hasMessageContaining("32");
        assertThatThrownBy(() -> ResSvdLayerSearch.plan(llama7b(32), 0.4, 14, 0.9))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k >= 15");
        assertThatThrownBy(() -> ResSvdLayerSearch.plan(llama7b(4), 0.4, 5, 0.9))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and the 4");
        assertThatThrownBy(() -> ResSvdLayerSearch.minimumLayers(32, 0.0, 0.9)).isInstanceOf(IllegalArgumentException.class);
        List<MatrixSpec> uneven = new ArrayList<>(llama7b(2));
        uneven.remove(0);
        assertThatThrownBy(() -> ResSvdLayerSearch.plan(uneven, 0.2, 2, 0.9))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same projections in every selected layer")
                .hasMessageContaining("layer 0 has k,v,o,gate,up,down and layer 1 has q,k,v,o,gate,up,down");
    }

    @Test
    void removedParametersEqualTheOverallRatioUpToRankFlooring() {
        List<MatrixSpec> specs = llama7b(32);
        long original = specs.stream().mapToLong(MatrixSpec::parameters).sum();
        for (double ro : new double[] {0.2, 0.3, 0.4, 0.5, 0.6}) {
            for (int k : ResSvdLayerSearch.candidateLayerCounts(32, ro, 0.9)) {
                ResSvdLayerSearch.Plan plan = ResSvdLayerSearch.plan(specs, ro, k, 0.9);
                long removed = 0;
                long flooring = 0;
                for (MatrixSpec m : specs) {
                    if (plan.compressedLayers().contains(m.layer())) {
                        removed += m.parameters() - StoredParameters.at(m, 1 - plan.layerRatio());
                        flooring += m.rows() + m.cols();
                    }
                }
                // flooring each rank removes less than one more rank (m + n numbers) per matrix, never less than R_l m n
                assertThat((double) removed).as("R_o %s, k %d", ro, k)
                        .isBetween(ro * original - 1e-6 * original, ro * original + flooring);
            }
        }
    }
}
