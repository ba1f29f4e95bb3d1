package io.svdwb.engine.compress.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.kernels.ResidualSvd;
import io.svdwb.engine.model.LowRankLinear;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.workbench.ModelFootprint;
import io.svdwb.engine.workbench.RankPlan;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A selection with one matrix excluded, compressed on the demo model (5 layers; q, o 64x64; k, v 32x64; gate, up
 * 172x64; down 64x172) by plain SVD, which needs no calibration: exactly that matrix stays dense.
 */
class ExcludedMatrixCompressionTest {

    @TempDir
    static Path cache;
    static CompressionContext context;
    static ModelConfig config;

    @BeforeAll
    static void open() throws Exception {
        context = DemoCompression.open(cache);
        config = context.checkpoint().config();
    }

    @AfterAll
    static void close() throws Exception {
        context.close();
    }

    @Test
    void theExcludedMatrixStaysDenseAndTheKeptCountIsTheHandComputedSum() {
        Selection selection = Selection.parse(null, null, "3.q", config);
        CompressionResult r = new Compressor(context).compress(new CompressionRequest(MethodId.SVD, 0.2, selection),
                ProgressListener.NONE);
        String excluded = ProjectionKind.Q.moduleName(3);
        assertThat(r.modules()).hasSize(34).noneMatch(m -> m.module().equals(excluded));
        assertThat(r.replacements()).hasSize(34).doesNotContainKey(excluded)
                .allSatisfy((module, linear) -> assertThat(linear).isInstanceOf(LowRankLinear.class));
        // k = floor(0.8 m n / (m + n)): 64x64 -> floor(25.6) = 25, stores 25 * 128 = 3,200; 32x64 -> floor(17.07) = 17,
        // 17 * 96 = 1,632; 172x64 and 64x172 -> floor(37.32) = 37, 37 * 236 = 8,732. Per layer 2 * 3,200 + 2 * 1,632
        // + 3 * 8,732 = 35,860, five layers 179,300; less L3.q's 3,200 for the 34 selected matrices.
        assertThat(r.selected().keptParameters()).isEqualTo(179_300L - 3_200);
        assertThat(r.selected().originalParameters()).isEqualTo(226_560L - 4_096);
        // Over every compressible matrix L3.q counts its dense 64 x 64.
        assertThat(r.allMatrices().keptParameters()).isEqualTo(179_300L - 3_200 + 4_096);
        assertThat(r.modules()).filteredOn(m -> m.matrix().kind() == ProjectionKind.Q).allSatisfy(m -> assertThat(m.rank()).isEqualTo(25));
        // The workbench's instant plan counts the same.
        RankPlan plan = RankPlan.uniform(ModelFootprint.of(context.checkpoint()), 0.2, selection);
        assertThat(plan.keptParameters()).isEqualTo(r.selected().keptParameters());
        assertThat(plan.keptParametersOfLayer(3)).isEqualTo(35_860L - 3_200 + 4_096);
    }

    @Test
    void resSvdRefusesLayersThatHoldDifferentProjections() {
        // R_l = N R_o / k redistributes the ratio over identical layers only.
        MethodSettings lastTwo = MethodId.RESSVD.defaults().with("ressvd-layers", "2");
        CompressionRequest request = new CompressionRequest(MethodId.RESSVD, 0.3, Selection.parse(null, null, "4.down", config), lastTwo);
        assertThatThrownBy(() -> new Compressor(context).compress(request, ProgressListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ResSVD's partial-layer compression needs the same projections in every selected layer (R_l = N R_o / k"
                        + " keeps the total only for identical layers), but layer 0 has q,k,v,o,gate,up,down and layer 4 has"
                        + " q,k,v,o,gate,up; select whole layers (no excluded matrix) for ressvd");
    }
}
