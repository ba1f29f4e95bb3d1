package io.svdwb.engine.compress.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.engine.eval.PerplexityEvaluator;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.progress.ProgressListener;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The probe against independent full forward passes on the demo model (4 windows x 64 tokens, batches
 * of 3 so that the last batch is partial).
 *
 * <p>Tolerances: the reference runs all 4 windows in one batch, which changes float32 summation order
 * inside matrix products (logits then differ by ~1e-7 relative), and it computes log-probabilities in
 * double where the probe rounds them to float (at most 2^-24 |log p| per entry). NLL: 1e-6 relative
 * (observed ~5e-8). KL: a sum of 64 x 512 terms per window with values 30..90 here; the errors above
 * bound it to a few 1e-5, hence 1e-4 absolute (observed 1e-6 and 1.6e-5).
 */
class CalibrationProbeTest {

    private static final int BATCH = 3;
    private static DemoModelFixture demo;

    @BeforeAll
    static void open() throws Exception {
        demo = new DemoModelFixture();
    }

    @AfterAll
    static void close() throws Exception {
        demo.close();
    }

    private static MatrixSpec spec(LlamaModel model, int layer, ProjectionKind kind) {
        return MatrixSpec.all(model.config()).stream().filter(m -> m.layer() == layer && m.kind() == kind).findFirst().orElseThrow();
    }

    @Test
    void nllWithoutOverridesEqualsTheProjectPerplexityEvaluator() {
        LlamaModel model = demo.newModel();
        try (CalibrationProbe probe = new CalibrationProbe(model, demo.windows, BATCH, ProgressListener.NONE)) {
            int[] stream = Arrays.stream(demo.windows).flatMapToInt(Arrays::stream).toArray();
            double reference = new PerplexityEvaluator(demo.newModel())
                    .evaluate(stream, DemoModelFixture.TOKENS, 0, 1, ProgressListener.NONE).meanNll();
            assertThat(probe.meanNll(Map.of())).isCloseTo(reference, within(1e-6 * reference));
        }
    }

    @Test
    void klWithoutOverridesIsExactlyZero() {
        // The no-override student runs the very same lm-head product on the very same cached stream as
        // the teacher did, so its log-probabilities are bitwise equal; only exact zero terms are summed.
        try (CalibrationProbe probe = new CalibrationProbe(demo.newModel(), demo.windows, BATCH, ProgressListener.NONE)) {
            assertThat(probe.meanKlSum(Map.of())).isEqualTo(0.0);
        }
    }

    @Test
    void overridesAndBaseEqualAFullForwardPassWithThemInstalled() {
        LlamaModel model = demo.newModel();
        Map<String, Linear> base = Map.of(
                ProjectionKind.UP.moduleName(1), demo.rank(model, spec(model, 1, ProjectionKind.UP), 6),
                ProjectionKind.K.moduleName(4), demo.rank(model, spec(model, 4, ProjectionKind.K), 5));
        Map<String, Linear> override = Map.of(
                ProjectionKind.Q.moduleName(3), demo.rank(model, spec(model, 3, ProjectionKind.Q), 4),
                ProjectionKind.DOWN.moduleName(4), demo.rank(model, spec(model, 4, ProjectionKind.DOWN), 8));
        float[] teacher = demo.newModel().forward(demo.windows);
        try (CalibrationProbe probe = new CalibrationProbe(model, demo.windows, BATCH, ProgressListener.NONE)) {
            for (Map<String, Linear> b : List.of(Map.<String, Linear>of(), base)) {
                probe.setBase(b);
                Map<String, Linear> installed = new HashMap<>(b);
                installed.putAll(override);
                float[] student = installedModel(installed).forward(demo.windows);
                double[] reference = Reference.nllAndKl(teacher, student, demo.windows, model.config().vocabSize());
                CalibrationProbe.Score score = probe.measure(override);
                assertThat(score.meanNll()).isCloseTo(reference[0], within(1e-6 * reference[0]));
                assertThat(score.meanKlSum()).isCloseTo(reference[1], within(1e-4));
                assertThat(reference[1]).as("the override must change the function").isGreaterThan(1.0);
            }
        }
    }

    @Test
    void klIsNonNegativeOnPerturbedModels() {
        LlamaModel model = demo.newModel();
        try (CalibrationProbe probe = new CalibrationProbe(model, demo.windows, BATCH, ProgressListener.NONE)) {
            for (MatrixSpec m : MatrixSpec.all(model.config())) {
                if (m.layer() % 2 == 0) {
                    double kl = probe.meanKlSum(Map.of(m.kind().moduleName(m.layer()), demo.rank(model, m, 2)));
                    assertThat(kl).as(m.label()).isGreaterThan(0.0);
                }
            }
        }
    }

    @Test
    void originalUndoesABaseReplacementExactly() {
        LlamaModel model = demo.newModel();
        String q2 = ProjectionKind.Q.moduleName(2);
        try (CalibrationProbe probe = new CalibrationProbe(model, demo.windows, BATCH, ProgressListener.NONE)) {
            double teacherNll = probe.meanNll(Map.of());
            probe.setBase(Map.of(q2, demo.rank(model, spec(model, 2, ProjectionKind.Q), 3)));
            assertThat(probe.meanKlSum(Map.of())).isGreaterThan(0.0);
            // layers 0-1 are cached from the teacher and 2-4 run unsubstituted: the teacher's computation
            CalibrationProbe.Score undone = probe.measure(Map.of(q2, CalibrationProbe.ORIGINAL));
            assertThat(undone.meanKlSum()).isEqualTo(0.0);
            assertThat(undone.meanNll()).isEqualTo(teacherNll);
        }
    }

    @Test
    void theModelsOwnReplacementsAndLayersAreUnchanged() {
        LlamaModel model = demo.newModel();
        Linear own = demo.rank(model, spec(model, 1, ProjectionKind.V), 4);
        model.replaceProjection(1, ProjectionKind.V, own);
        float[] before = model.forward(demo.windows);
        Linear residentGate = model.layer(3).projection(ProjectionKind.GATE);
        try (CalibrationProbe probe = new CalibrationProbe(model, demo.windows, BATCH, ProgressListener.NONE)) {
            probe.setBase(Map.of(ProjectionKind.V.moduleName(1), demo.rank(model, spec(model, 1, ProjectionKind.V), 2)));
            probe.measure(Map.of(ProjectionKind.GATE.moduleName(3), demo.rank(model, spec(model, 3, ProjectionKind.GATE), 2),
                    ProjectionKind.V.moduleName(1), CalibrationProbe.ORIGINAL));
        }
        assertThat(model.layer(1).projection(ProjectionKind.V)).isSameAs(own);
        assertThat(model.layer(3).projection(ProjectionKind.GATE)).isSameAs(residentGate);
        assertThat(model.forward(demo.windows)).containsExactly(before);
    }

    @Test
    void bytesHeldFollowTheFootprintFormulaAndTheLimitIsEnforced() {
        LlamaModel model = demo.newModel();
        try (CalibrationProbe probe = new CalibrationProbe(model, demo.windows, BATCH, ProgressListener.NONE)) {
            // (5 layers + 1 cached + 1 working copy) x 4 windows x 64 tokens x 64 hidden x 4 bytes + 4 x 64 x 512 vocab x 4 bytes
            assertThat(probe.bytesHeld()).isEqualTo(7L * 4 * 64 * 64 * 4 + 4L * 64 * 512 * 4);
        }
        try (CalibrationProbe nllOnly = new CalibrationProbe(model, demo.windows, BATCH, CalibrationProbe.Measures.NLL_ONLY,
                CalibrationProbe.DEFAULT_MEMORY_LIMIT_BYTES, ProgressListener.NONE)) {
            assertThat(nllOnly.bytesHeld()).isEqualTo(7L * 4 * 64 * 64 * 4);
            assertThatThrownBy(() -> nllOnly.meanKlSum(Map.of())).isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(() -> new CalibrationProbe(model, demo.windows, BATCH, CalibrationProbe.Measures.NLL_AND_KL,
                900_000, ProgressListener.NONE))
                .isInstanceOf(ProbeMemoryLimitException.class)
                .hasMessageContaining("0.9 MiB").hasMessageContaining("limit");
    }

    @Test
    void unknownModulesAreRefused() {
        try (CalibrationProbe probe = new CalibrationProbe(demo.newModel(), demo.windows, BATCH, ProgressListener.NONE)) {
            assertThatThrownBy(() -> probe.meanNll(Map.of("model.layers.9.self_attn.q_proj", CalibrationProbe.ORIGINAL)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model.layers.9.self_attn.q_proj");
        }
    }

    private static LlamaModel installedModel(Map<String, Linear> replacements) {
        LlamaModel model = demo.newModel();
        for (MatrixSpec m : MatrixSpec.all(model.config())) {
            Linear r = replacements.get(m.kind().moduleName(m.layer()));
            if (r != null) {
                model.replaceProjection(m.layer(), m.kind(), r);
            }
        }
        return model;
    }

    /** NLL and KLsum written out directly in double from two sets of logits. */
    static final class Reference {
        private Reference() {
        }

        static double[] nllAndKl(float[] teacher, float[] student, int[][] windows, int vocab) {
            int seqLen = windows[0].length;
            double nll = 0;
            double kl = 0;
            for (int s = 0; s < windows.length; s++) {
                for (int t = 0; t < seqLen; t++) {
                    int off = (s * seqLen + t) * vocab;
                    double[] p0 = logSoftmax(teacher, off, vocab);
                    double[] p = logSoftmax(student, off, vocab);
                    if (t < seqLen - 1) {
                        nll -= p[windows[s][t + 1]];
                    }
                    for (int v = 0; v < vocab; v++) {
                        kl += Math.exp(p0[v]) * (p0[v] - p[v]);
                    }
                }
            }
            return new double[] {nll / (windows.length * (seqLen - 1.0)), kl / windows.length};
        }

        private static double[] logSoftmax(float[] logits, int off, int n) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, logits[off + i]);
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += Math.exp(logits[off + i] - max);
            }
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = logits[off + i] - max - Math.log(sum);
            }
            return out;
        }
    }
}
