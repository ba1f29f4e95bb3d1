package io.svdwb.engine.workbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ProjectionKind;
import org.junit.jupiter.api.Test;

class MatrixSpectrumTest {

    private static final MatrixSpec Q = new MatrixSpec(0, ProjectionKind.Q, "model.layers.0.self_attn.q_proj.weight", 3, 3);

    @Test
    void retainedEnergyAndLossesOfAHandSizedSpectrum() {
        // sigma = 3, 2, 1: sigma^2 = 9, 4, 1, total 14.
        MatrixSpectrum s = new MatrixSpectrum(Q, new double[] {3, 2, 1}, new double[] {4, 0, 0});
        assertThat(s.rawRetainedEnergy()).containsExactly(new double[] {9.0 / 14, 13.0 / 14, 1}, within(1e-15));
        assertThat(s.whitenedRetainedEnergy()).containsExactly(1, 1, 1);

        MatrixSpectrum.Cut one = s.cut(1);
        assertThat(one.rank()).isEqualTo(1);
        assertThat(one.rawLoss()).isCloseTo(Math.sqrt(5), within(1e-15));
        assertThat(one.rawRelativeLoss()).isCloseTo(Math.sqrt(5.0 / 14), within(1e-15));
        assertThat(one.rawRetainedEnergy()).isCloseTo(9.0 / 14, within(1e-15));
        assertThat(one.whitenedLoss()).isZero();
        assertThat(one.whitenedRetainedEnergy()).isEqualTo(1);

        assertThat(s.cut(0).rawLoss()).isCloseTo(Math.sqrt(14), within(1e-15));
        assertThat(s.cut(0).rawRetainedEnergy()).isZero();
        assertThat(s.cut(3).rawLoss()).isZero();
        assertThat(s.cut(3).rawRetainedEnergy()).isEqualTo(1);
    }

    @Test
    void theCurveAndTheCutAgreeExactly() {
        double[] sigma = {7.5, 3.25, 1e-3, 1e-9, 0};
        MatrixSpectrum s = new MatrixSpectrum(Q, sigma, null);
        double[] curve = s.rawRetainedEnergy();
        for (int k = 1; k <= sigma.length; k++) {
            assertThat(s.cut(k).rawRetainedEnergy()).as("k=%d", k).isEqualTo(curve[k - 1]);
        }
        for (int k = 1; k < sigma.length; k++) {
            assertThat(curve[k]).isGreaterThanOrEqualTo(curve[k - 1]);
        }
    }

    @Test
    void withoutWhitenedValuesTheWhitenedFieldsAreNaN() {
        MatrixSpectrum s = new MatrixSpectrum(Q, new double[] {2, 1}, null);
        assertThat(s.hasWhitened()).isFalse();
        assertThat(s.whitened()).isNull();
        assertThat(s.whitenedRetainedEnergy()).isNull();
        assertThat(s.cut(1).whitenedLoss()).isNaN();
        assertThat(s.cut(1).whitenedRelativeLoss()).isNaN();
        assertThat(s.cut(1).whitenedRetainedEnergy()).isNaN();
    }

    @Test
    void rejectsWhatIsNotASpectrum() {
        assertThatThrownBy(() -> new MatrixSpectrum(Q, new double[] {1, 2}, null)).hasMessageContaining("L0.q").hasMessageContaining("descending");
        assertThatThrownBy(() -> new MatrixSpectrum(Q, new double[] {1, -1}, null)).hasMessageContaining("non-negative");
        assertThatThrownBy(() -> new MatrixSpectrum(Q, new double[] {Double.NaN}, null)).hasMessageContaining("finite");
        assertThatThrownBy(() -> new MatrixSpectrum(Q, new double[0], null)).hasMessageContaining("no raw");
        assertThatThrownBy(() -> new MatrixSpectrum(Q, new double[] {2, 1}, new double[] {1})).hasMessageContaining("whitened");
        assertThatThrownBy(() -> new MatrixSpectrum(Q, new double[] {2, 1}, null).cut(3)).hasMessageContaining("outside [0, 2]");
    }

    @Test
    void arraysAreCopiedInAndOut() {
        double[] sigma = {2, 1};
        MatrixSpectrum s = new MatrixSpectrum(Q, sigma, null);
        sigma[0] = 100;
        s.raw()[1] = 100;
        assertThat(s.raw()).containsExactly(2, 1);
    }
}
