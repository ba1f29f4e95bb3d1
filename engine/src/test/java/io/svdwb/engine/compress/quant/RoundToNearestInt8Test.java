package io.svdwb.engine.compress.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** docs/METHODS.md §2.6: symmetric per-row round-to-nearest int8 against its mathematical error bound. */
class RoundToNearestInt8Test {

    /**
     * |x - s q| <= s / 2 for every element: q is the nearest grid point. The tolerance beyond s / 2 is the float32
     * rounding of the dequantised product (half an ulp of the result, 2^-24 relative) plus the double division x / s
     * (2^-53 relative of |x / s| <= 127.5, i.e. below 1e-13 s); nothing else is allowed.
     */
    @Test
    void everyElementIsWithinHalfAStepOfItsValue() {
        Random random = new Random(20261207);
        for (int round = 0; round < 40; round++) {
            int rows = 1 + random.nextInt(40);
            int cols = 1 + random.nextInt(70);
            float[] x = new float[rows * cols];
            for (int i = 0; i < rows; i++) {
                // rows of very different sizes, as the rows of sqrt(Sigma) V^T are; one all-zero row now and then
                double size = random.nextInt(8) == 0 ? 0 : Math.pow(10, random.nextInt(12) - 6);
                for (int j = 0; j < cols; j++) {
                    x[i * cols + j] = (float) (size * random.nextGaussian());
                }
            }
            Int8Rows q = RoundToNearestInt8.quantize(x, rows, cols, "test");
            float[] back = q.dequantize();
            for (int i = 0; i < rows; i++) {
                float s = q.scales()[i];
                float max = 0;
                for (int j = 0; j < cols; j++) {
                    max = Math.max(max, Math.abs(x[i * cols + j]));
                }
                assertThat(s).as("scale of row %d = max|x| / 127", i).isEqualTo(max / 127f);
                for (int j = 0; j < cols; j++) {
                    int k = i * cols + j;
                    double bound = s / 2.0 + Math.ulp(back[k]) / 2.0 + 1e-13 * s;
                    assertThat(Math.abs((double) x[k] - back[k])).as("row %d col %d of round %d", i, j, round).isLessThanOrEqualTo(bound);
                    assertThat((int) q.codes()[k]).isBetween(-127, 127);
                    if (Math.abs(x[k]) == max && max > 0) {
                        // the largest entry lands on the end of the grid
                        assertThat(Math.abs((int) q.codes()[k])).isEqualTo(127);
                    }
                }
            }
        }
    }

    /** A value already on the grid stays there: quantising the dequantised matrix gives the same codes (an identity). */
    @Test
    void gridPointsAreFixedPoints() {
        Random random = new Random(7);
        float[] x = new float[12 * 30];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        Int8Rows once = RoundToNearestInt8.quantize(x, 12, 30, "once");
        Int8Rows twice = RoundToNearestInt8.quantize(once.dequantize(), 12, 30, "twice");
        assertThat(twice.codes()).isEqualTo(once.codes());
    }

    /** Symmetric grid: -x gives -q, and a tie rounds to even (0.5 -> 0, 1.5 -> 2), never to -128. */
    @Test
    void theGridIsSymmetricAndTiesGoToEven() {
        float[] x = {127f, 0.5f, 1.5f, -2.5f, -127f};
        Int8Rows q = RoundToNearestInt8.quantize(x, 1, 5, "ties");
        assertThat(q.scales()[0]).isEqualTo(1f);
        assertThat(q.codes()).containsExactly(127, 0, 2, -2, -127);
    }

    @Test
    void badInputIsRefusedWithItsPosition() {
        assertThatThrownBy(() -> RoundToNearestInt8.quantize(new float[] {1, Float.NaN, 2, 3}, 2, 2, "B of q_proj"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("B of q_proj").hasMessageContaining("(0, 1)");
        assertThatThrownBy(() -> RoundToNearestInt8.quantize(new float[5], 2, 2, "A"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 values do not form a 2 x 2 matrix");
        assertThatThrownBy(() -> new Int8Rows(1, 2, new byte[] {-128, 0}, new float[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[-127, 127]");
        assertThatThrownBy(() -> new Int8Rows(1, 2, new byte[2], new float[] {-1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 0").hasMessageContaining("-1.0");
    }
}
