package io.svdwb.engine.workbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.TestData;
import io.svdwb.engine.calibration.Calibration;
import io.svdwb.engine.calibration.CalibrationCache;
import io.svdwb.engine.calibration.CalibrationSettings;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.compress.kernels.RealisedRatio;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.CompressionResult;
import io.svdwb.engine.compress.method.Compressor;
import io.svdwb.engine.compress.method.DecompositionCache;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.progress.ProgressListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rank plans on the demo model (5 layers; q, o 64x64; k, v 32x64; gate, up 172x64; down 64x172; float32). */
class RankPlanTest {

    private static ModelFootprint demo;
    private static ModelConfig config;
    @TempDir
    static Path cache;

    @BeforeAll
    static void readFootprint() throws Exception {
        try (Checkpoint checkpoint = Checkpoint.open(TestData.demoModel())) {
            demo = ModelFootprint.of(checkpoint);
            config = checkpoint.config();
        }
    }

    @Test
    void theDemoFootprintCountsWhatTheCheckpointHolds() {
        assertThat(demo.matrices()).hasSize(35);
        assertThat(demo.totalParameters()).isEqualTo(260_032);
        assertThat(demo.compressibleParameters()).isEqualTo(226_560);
        // Everything else is float32: the 33,472 other parameters, plus the tied lm_head (512 x 64), which is
        // counted once as a parameter but stored twice in the file (and copied so by the exporter).
        assertThat(demo.untouchedBytes()).isEqualTo((260_032 - 226_560 + 512 * 64) * 4L);
        for (MatrixSpec m : demo.matrices()) {
            assertThat(demo.weightBytes().get(m)).as(m.label()).isEqualTo(m.parameters() * 4);
        }
    }

    @Test
    void ratioPointFourKeepsTheHandComputedRanksAndCounts() {
        RankPlan plan = RankPlan.uniform(demo, 0.4);
        // k = floor(0.6 m n / (m + n)): 64x64 -> 19, 32x64 -> 12, 172x64 -> 27
        Map<ProjectionKind, Integer> expected = Map.of(ProjectionKind.Q, 19, ProjectionKind.K, 12, ProjectionKind.V, 12,
                ProjectionKind.O, 19, ProjectionKind.GATE, 27, ProjectionKind.UP, 27, ProjectionKind.DOWN, 27);
        for (MatrixSpec m : demo.matrices()) {
            assertThat(plan.rankOf(m)).as(m.label()).isEqualTo(expected.get(m.kind()));
        }
        // per layer 2*19*128 + 2*12*96 + 3*27*236 = 26,284
        assertThat(plan.keptParametersOfLayer(3)).isEqualTo(26_284);
        assertThat(plan.keptParameters()).isEqualTo(5 * 26_284L);
        assertThat(plan.keptModelParameters()).isEqualTo(260_032 - 226_560 + 131_420);
        assertThat(plan.realised().effectiveRatio()).isEqualTo(1 - 131_420.0 / 226_560);
        assertThat(plan.factoredBytes()).isEqualTo(demo.untouchedBytes() + 131_420 * 4L);
    }

    @Test
    void theExtremesOfTheSliderStillGiveAtLeastOneComponent() {
        RankPlan high = RankPlan.uniform(demo, 0.95);
        // floor(0.05*4096/128) = 1, floor(0.05*2048/96) = 1, floor(0.05*11008/236) = 2
        assertThat(high.keptParametersOfLayer(0)).isEqualTo(2 * 128 + 2 * 96 + 3 * 2 * 236);
        RankPlan low = RankPlan.uniform(demo, 0.05);
        for (MatrixSpec m : demo.matrices()) {
            assertThat(low.rankOf(m)).isEqualTo(RankFromRatio.rank(m.rows(), m.cols(), 0.05));
            assertThat(low.storedOf(m)).isEqualTo((long) low.rankOf(m) * (m.rows() + m.cols()));
        }
    }

    @Test
    void everyRatioAgreesWithRankFromRatio() {
        for (int step = 5; step <= 95; step++) {
            double ratio = step / 100.0;
            RankPlan plan = RankPlan.uniform(demo, ratio);
            long kept = 0;
            for (MatrixSpec m : demo.matrices()) {
                int k = RankFromRatio.rank(m.rows(), m.cols(), ratio);
                assertThat(plan.rankOf(m)).isEqualTo(k);
                kept += RankFromRatio.stored(m.rows(), m.cols(), k);
            }
            assertThat(plan.keptParameters()).isEqualTo(kept);
        }
    }

    @Test
    void refusesRatiosOutsideTheOpenIntervalAndForeignMatrices() {
        assertThatThrownBy(() -> RankPlan.uniform(demo, 1.0)).hasMessageContaining("strictly between 0 and 1");
        MatrixSpec foreign = new MatrixSpec(9, ProjectionKind.Q, "model.layers.9.self_attn.q_proj.weight", 64, 64);
        assertThatThrownBy(() -> RankPlan.uniform(demo, 0.4).rankOf(foreign)).hasMessageContaining("L9.q");
    }

    @Test
    void aSelectionCutsOnlyItsMatricesAndTheRatioAppliesToThem() {
        // --layers 2-4 --modules q,gate: 3 x (64x64 at 19, 172x64 at 27) = 3 x (2,432 + 6,372) = 26,412 kept of 3 x (4,096 + 11,008)
        RankPlan plan = RankPlan.uniform(demo, 0.4, Selection.parse("2-4", "q,gate", config));
        assertThat(plan.ranks()).hasSize(6);
        assertThat(plan.dense()).hasSize(29);
        assertThat(plan.realised()).isEqualTo(new RealisedRatio(3 * (4_096 + 11_008), 26_412, 260_032));
        assertThat(plan.keptModelParameters()).isEqualTo(260_032 - 3 * (4_096 + 11_008) + 26_412);
        MatrixSpec q0 = demo.matrices().get(0);
        assertThat(plan.compresses(q0)).isFalse();
        assertThat(plan.storedOf(q0)).isEqualTo(4_096);
        assertThatThrownBy(() -> plan.rankOf(q0)).hasMessage("L0.q is not selected: it stays dense");
        // Layer 0 is all dense (45,312); layer 3 keeps q and gate cut and the other five dense.
        assertThat(plan.keptParametersOfLayer(0)).isEqualTo(45_312);
        assertThat(plan.keptParametersOfLayer(3)).isEqualTo(45_312 - 4_096 - 11_008 + 2_432 + 6_372);
        // The 29 unselected weights are copied as stored (float32) into a factored checkpoint.
        assertThat(plan.factoredBytes()).isEqualTo(demo.untouchedBytes() + (226_560 - 3 * (4_096 + 11_008)) * 4L + 26_412 * 4L);
        assertThat(RankPlan.uniform(demo, 0.4, Selection.all(config))).isEqualTo(RankPlan.uniform(demo, 0.4));
    }

    @Test
    void theSelectedPlanRealisesWhatTheCompressorRealisesForTheSameSelection() throws Exception {
        Selection selection = Selection.parse("1,3-4", "k,v,down", config);
        RankPlan plan = RankPlan.uniform(demo, 0.55, selection);
        // Plain SVD needs no calibration: the temporary cache folder is never written.
        try (CompressionContext context = new CompressionContext(TestData.demoModel(), TestData.wikiTrainHead(),
                CalibrationSettings.defaults(), new Calibration(new CalibrationCache(cache), LinearAlgebra.cpu()), LinearAlgebra.cpu(),
                new DecompositionCache(64L << 20))) {
            CompressionResult result = new Compressor(context).compress(new CompressionRequest(MethodId.SVD, 0.55, selection,
                    MethodId.SVD.defaults()), ProgressListener.NONE);
            assertThat(plan.realised()).isEqualTo(result.selected());
            List<Integer> ranks = new ArrayList<>();
            result.modules().forEach(outcome -> ranks.add(outcome.rank()));
            assertThat(new ArrayList<>(plan.ranks().values())).isEqualTo(ranks);
        }
    }

    @Test
    void anEmptySelectionIsRefusedAsTheCompressorRefusesIt() {
        Selection nothing = Selection.parse("0-4", "q", config);
        Selection none = new Selection(new BitSet(), nothing.modules());
        assertThatThrownBy(() -> RankPlan.uniform(demo, 0.4, none)).hasMessage("the selection (layers ; modules q) contains no matrix");
    }
}
