package io.svdwb.engine.compress.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.linalg.LinearAlgebra;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** docs/METHODS.md §2.6: GPTQ-style int8 rounding against a torch port of the authors' recursion, and two identities. */
class GptqInt8Test {

    private static final LinearAlgebra LA = LinearAlgebra.cpu();

    /**
     * scripts/gptq_reference.py: the GPTQ recursion as IST-DASLab/gptq writes it (Hinv from cholesky_inverse, then an
     * upper Cholesky factor), in torch float64, on a 12 x 40 matrix whose 40 inputs are correlated and one never
     * fires. Our Hinv factor comes another way (the reversed Cholesky factor's inverse); the codes must be identical,
     * since both recursions run in double and a code changes only where x / s lands within rounding of a half.
     */
    @Test
    void codesEqualTheTorchReference() throws Exception {
        JsonNode ref;
        try (InputStream in = getClass().getResourceAsStream("gptq-reference.json")) {
            ref = new ObjectMapper().readTree(in);
        }
        int rows = ref.get("rows").asInt();
        int cols = ref.get("cols").asInt();
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ref.get("w").get(i).asDouble();
        }
        INDArray h = Nd4j.create(DataType.DOUBLE, cols, cols);
        for (int i = 0; i < cols * cols; i++) {
            h.putScalar(i / cols, i % cols, ref.get("h").get(i).asDouble());
        }
        Int8Rows q = GptqInt8.quantize(w, rows, cols, h, GptqInt8.DEFAULT_DAMPING, LA, "reference");
        for (int i = 0; i < rows; i++) {
            assertThat(q.scales()[i]).isEqualTo((float) ref.get("scales").get(i).asDouble());
        }
        int differing = 0;
        for (int i = 0; i < w.length; i++) {
            differing += q.codes()[i] == ref.get("codes").get(i).asInt() ? 0 : 1;
        }
        assertThat(differing).as("codes differing from torch's").isZero();

        // and what GPTQ is for: a smaller output error trace((W - W') H (W - W')^T) than round-to-nearest's
        assertThat(outputError(w, q, h, rows, cols)).isLessThan(outputError(w, RoundToNearestInt8.quantize(w, rows, cols, "rtn"), h, rows, cols));
    }

    /** With uncorrelated inputs (diagonal H) the inverse Hessian factor is diagonal, no error is fed forward: GPTQ = RTN. */
    @Test
    void aDiagonalHessianGivesRoundToNearest() {
        Random random = new Random(11);
        int rows = 9;
        int cols = 31;
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        INDArray h = Nd4j.create(DataType.DOUBLE, cols, cols);
        for (int j = 0; j < cols; j++) {
            h.putScalar(j, j, 0.5 + random.nextDouble());
        }
        assertThat(GptqInt8.quantize(w, rows, cols, h, GptqInt8.DEFAULT_DAMPING, LA, "diag").codes())
                .isEqualTo(RoundToNearestInt8.quantize(w, rows, cols, "rtn").codes());
    }

    @Test
    void badInputIsRefused() {
        INDArray h = Nd4j.eye(3).castTo(DataType.DOUBLE);
        assertThatThrownBy(() -> GptqInt8.quantize(new float[8], 2, 4, h, 0.01, LA, "B of q_proj"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("B of q_proj").hasMessageContaining("4 x 4");
        assertThatThrownBy(() -> GptqInt8.quantize(new float[6], 2, 3, h, 0, LA, "B"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("damping must be in (0, 1), got 0.0");
    }

    private static double outputError(float[] w, Int8Rows q, INDArray h, int rows, int cols) {
        float[] back = q.dequantize();
        double total = 0;
        for (int i = 0; i < rows; i++) {
            for (int a = 0; a < cols; a++) {
                for (int b = 0; b < cols; b++) {
                    total += (w[i * cols + a] - back[i * cols + a]) * h.getDouble(a, b) * (w[i * cols + b] - back[i * cols + b]);
                }
            }
        }
        return total;
    }
}
