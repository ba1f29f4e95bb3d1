package io.svdwb.engine.compress.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.CancelledException;
import io.svdwb.engine.progress.ProgressListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The three searches end to end on the demo model (4 windows x 64 tokens, plain truncated SVD as the
 * factory). Single table entries are checked against full forward passes with the candidate installed
 * (tolerances as in {@link CalibrationProbeTest}: NLL 1e-6 relative, KL 1e-4 absolute per D, so 2e-4 on
 * a difference of two).
 */
class SearchDriversTest {

    private static DemoModelFixture demo;
    private static LlamaModel model;
    private static ReplacementFactory factory;
    private static float[] teacherLogits;

    @BeforeAll
    static void open() throws Exception {
        demo = new DemoModelFixture();
        model = demo.newModel();
        factory = demo.plainSvd(model);
        teacherLogits = demo.newModel().forward(demo.windows);
    }

    @AfterAll
    static void close() throws Exception {
        demo.close();
    }

    private static CalibrationProbe probe() {
        return new CalibrationProbe(model, demo.windows, DemoModelFixture.WINDOWS, ProgressListener.NONE);
    }

    private static String name(MatrixSpec m) {
        return m.kind().moduleName(m.layer());
    }

    /** NLL and KL of a full forward pass with {@code replacements} installed in a fresh model. */
    private static double[] installed(Map<String, Linear> replacements) {
        LlamaModel m = demo.newModel();
        for (MatrixSpec spec : MatrixSpec.all(m.config())) {
            Linear r = replacements.get(name(spec));
            if (r != null) {
                m.replaceProjection(spec.layer(), spec.kind(), r);
            }
        }
        return CalibrationProbeTest.Reference.nllAndKl(teacherLogits, m.forward(demo.windows), demo.windows,
                m.config().vocabSize());
    }

    @Test
    void asvdTableEntriesAreCalibrationPerplexitiesOfSingleReplacements() {
        List<MatrixSpec> lastLayers = MatrixSpec.all(model.config()).stream().filter(m -> m.layer() >= 3).toList();
        Recorder progress = new Recorder();
        SensitivityTable ppl;
        try (CalibrationProbe probe = probe()) {
            ppl = AsvdSensitivity.measure(probe, lastLayers, AsvdRankSearch.DEFAULT_CANDIDATES, factory, progress);
        }
        assertThat(progress.phases).containsExactly("ASVD sensitivity: 14 matrices x 6 ratios");
        assertThat(progress.last).isEqualTo(84);
        MatrixSpec gate3 = lastLayers.get(4);
        double reference = Math.exp(installed(Map.of(name(gate3), factory.replacement(gate3, 0.5)))[0]);
        assertThat(ppl.value(4, 1)).isCloseTo(reference, within(1e-6 * reference));
        assertThat(ppl.stored(4, 1)).isEqualTo(factory.replacement(gate3, 0.5).storedWeightParameters());

        AsvdRankSearch.Result r = AsvdRankSearch.allocate(ppl, 0.8, AsvdRankSearch.DEFAULT_TOLERANCE, AsvdRankSearch.Counting.STORED);
        assertThat(r.keptFraction()).isLessThanOrEqualTo(0.802);
    }

    @Test
    void duoSvdSensitivityAndAllocationEndToEnd() {
        List<MatrixSpec> modules = MatrixSpec.all(model.config());
        double rho0 = 0.75;
        Recorder progress = new Recorder();
        DuoSvdAllocation.Result r;
        try (CalibrationProbe probe = probe()) {
            r = DuoSvdAllocation.run(probe, modules, rho0, factory, progress);
        }
        SensitivityTable delta = r.sensitivity().delta();
        double[] ratios = delta.keptRatios();
        int at = java.util.Arrays.binarySearch(ratios, rho0);
        assertThat(progress.phases).contains("Duo-SVD sensitivity: 35 modules x 11 ratios");
        assertThat(r.sensitivity().baseKl()).isGreaterThan(0.0);
        for (int j = 0; j < modules.size(); j++) {
            assertThat(delta.value(j, at)).as(modules.get(j).label()).isEqualTo(0.0);
            assertThat(delta.stored(j, ratios.length - 1)).isEqualTo(modules.get(j).parameters());
            for (int i = 0; i < ratios.length; i++) {
                assertThat(delta.value(j, i)).isFinite();
            }
        }

        // one entry against full forward passes: D_j(p) - D_base with the base installed everywhere
        Map<String, Linear> base = new HashMap<>();
        for (MatrixSpec m : modules) {
            base.put(name(m), factory.replacement(m, rho0));
        }
        MatrixSpec up2 = modules.get(2 * 7 + 5);
        Map<String, Linear> probed = new HashMap<>(base);
        probed.put(name(up2), factory.replacement(up2, 0.3));
        double baseKl = installed(base)[1];
        assertThat(r.sensitivity().baseKl()).isCloseTo(baseKl, within(1e-4));
        assertThat(delta.value(2 * 7 + 5, 2)).isCloseTo(installed(probed)[1] - baseKl, within(2e-4));
        // p = 1.0 is the dense original in that one module
        probed.remove(name(up2));
        assertThat(delta.value(2 * 7 + 5, ratios.length - 1)).isCloseTo(installed(probed)[1] - baseKl, within(2e-4));

        assertThat(r.keptParameters()).isLessThanOrEqualTo(r.budget());
        assertThat(r.budget()).isEqualTo((long) Math.floor(rho0 * r.originalParameters()));
    }

    @Test
    void resSvdSearchTriesEveryCandidateAndKeepsTheBest() {
        List<MatrixSpec> all = MatrixSpec.all(model.config());
        ResSvdLayerSearch.Result r;
        try (CalibrationProbe probe = probe()) {
            r = ResSvdLayerSearch.search(probe, all, 0.2, ResSvdLayerSearch.DEFAULT_MAX_LAYER_RATIO, factory, ProgressListener.NONE);
        }
        // N = 5, R_o = 0.2: k_min = ceil(1.11) = 2, candidates 2, 4, 5
        assertThat(r.trials()).extracting(ResSvdLayerSearch.Trial::k).containsExactly(2, 4, 5);
        double best = r.trials().stream().mapToDouble(ResSvdLayerSearch.Trial::perplexity).min().orElseThrow();
        assertThat(r.trials().stream().filter(t -> t.k() == r.chosen().k()).findFirst().orElseThrow().perplexity()).isEqualTo(best);

        // k = 4: layers 1-4 at R_l = 0.25, checked against a full forward pass
        Map<String, Linear> k4 = new HashMap<>();
        long flooring = 0;
        for (MatrixSpec m : all) {
            if (m.layer() >= 1) {
                k4.put(name(m), factory.replacement(m, 0.75));
            }
        }
        double reference = Math.exp(installed(k4)[0]);
        assertThat(r.trials().get(1).perplexity()).isCloseTo(reference, within(1e-6 * reference));

        for (MatrixSpec m : all) {
            flooring += r.chosen().compressedLayers().contains(m.layer()) ? m.rows() + m.cols() : 0;
        }
        long removed = r.originalParameters() - r.keptParameters();
        assertThat((double) removed).isCloseTo(0.2 * r.originalParameters(), within((double) flooring));
    }

    @Test
    void everySearchStopsWhenCancelled() {
        List<MatrixSpec> all = MatrixSpec.all(model.config());
        try (CalibrationProbe probe = probe()) {
            assertThatThrownBy(() -> AsvdSensitivity.measure(probe, all, AsvdRankSearch.DEFAULT_CANDIDATES, factory,
                    new Recorder(3))).isInstanceOf(CancelledException.class);
            assertThatThrownBy(() -> DuoSvdSensitivity.measure(probe, all, 0.8, factory, new Recorder(40)))
                    .isInstanceOf(CancelledException.class);
            assertThatThrownBy(() -> ResSvdLayerSearch.search(probe, all, 0.2, 0.9, factory, new Recorder(1)))
                    .isInstanceOf(CancelledException.class);
        }
    }

    /** Records phases and the last position; cancels once {@code cancelAfter} units were reported. */
    private static final class Recorder implements ProgressListener {
        final List<String> phases = new ArrayList<>();
        final long cancelAfter;
        long last;
        long reported;

        Recorder() {
            this(Long.MAX_VALUE);
        }

        Recorder(long cancelAfter) {
            this.cancelAfter = cancelAfter;
        }

        @Override
        public void begin(String phase, long totalUnits) {
            phases.add(phase);
        }

        @Override
        public void advanceTo(long unitsDone) {
            last = unitsDone;
            reported++;
        }

        @Override
        public void end() {
        }

        @Override
        public boolean isCancelled() {
            return reported >= cancelAfter;
        }
    }
}
