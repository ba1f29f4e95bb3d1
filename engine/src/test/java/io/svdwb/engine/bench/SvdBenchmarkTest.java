package io.svdwb.engine.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.bench.SvdBenchmark.Backend;
import io.svdwb.engine.bench.SvdBenchmark.Row;
import io.svdwb.engine.bench.SvdBenchmark.Shape;
import io.svdwb.engine.bench.SvdBenchmark.Status;
import io.svdwb.engine.bench.SvdBenchmark.Timing;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.progress.ProgressListener;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Runs the SVD benchmark on small matrices: what it measures and reports, never how fast anything is. */
class SvdBenchmarkTest {

    /**
     * float32 has unit roundoff u = 2^-24 ≈ 6e-8; a backward-stable SVD of an m x n matrix reconstructs
     * it to a relative error of a modest multiple of sqrt(n)·u, here (n ≤ 80) about 1e-6 for LAPACK.
     * EJML's float SVD is less accurate (about 4e-5 measured at 512², 1.5e-4 at 2048²), so 1e-4 leaves
     * room for it at these sizes while still catching a wrong factor (which gives errors of order 1).
     */
    private static final double TOLERANCE = 1e-4;

    private final SvdBenchmark benchmark = new SvdBenchmark(LinearAlgebra.cpu(), 42);

    @Test
    void runsAllThreeBackendsAndReportsRatiosOfTheMeasuredTimes() {
        List<Shape> shapes = List.of(new Shape(64, 64), new Shape(48, 80));
        SvdBenchmark.Result result = benchmark.run(shapes, 1, Set.of(), Double.POSITIVE_INFINITY, ProgressListener.NONE);

        assertThat(result.allPassed()).isTrue();
        assertThat(result.warmupShape()).isEqualTo(new Shape(64, 64));
        assertThat(result.rows()).extracting(Row::shape).containsExactlyElementsOf(shapes);
        for (Row row : result.rows()) {
            assertThat(row.failure()).isNull();
            for (Timing t : List.of(row.engine(), row.nd4j(), row.ejml())) {
                assertThat(t.status()).as("%s %s", row.shape(), t.backend()).isEqualTo(Status.OK);
                assertThat(t.runs()).isEqualTo(1);
                assertThat(t.medianSeconds()).isPositive().isEqualTo(t.minSeconds());
                assertThat(t.reconstructionError()).as("%s %s reconstruction error", row.shape(), t.backend())
                        .isBetween(0.0, TOLERANCE);
            }
            assertThat(row.engine().backend()).isEqualTo(Backend.ENGINE);
            assertThat(row.nd4j().backend()).isEqualTo(Backend.ND4J);
            assertThat(row.ejml().backend()).isEqualTo(Backend.EJML);
            assertThat(row.nd4jOverEngine()).isEqualTo(row.nd4j().medianSeconds() / row.engine().medianSeconds());
            assertThat(row.ejmlOverEngine()).isEqualTo(row.ejml().medianSeconds() / row.engine().medianSeconds());
        }
    }

    @Test
    void skippedBackendsHaveNoTimeAndNoRatio() {
        SvdBenchmark.Result result = benchmark.run(List.of(new Shape(32, 24)), 1, EnumSet.of(Backend.ND4J, Backend.EJML),
                Double.POSITIVE_INFINITY, ProgressListener.NONE);

        Row row = result.rows().get(0);
        assertThat(row.engine().status()).isEqualTo(Status.OK);
        for (Timing t : List.of(row.nd4j(), row.ejml())) {
            assertThat(t.status()).isEqualTo(Status.SKIPPED);
            assertThat(t.medianSeconds()).isNull();
            assertThat(t.runs()).isZero();
        }
        assertThat(row.nd4jOverEngine()).isNull();
        assertThat(row.ejmlOverEngine()).isNull();
        assertThat(result.allPassed()).isTrue();
    }

    @Test
    void aBackendOverTheTimeLimitIsSkippedOnLaterShapesAtLeastAsLargeButTheEngineAlwaysRuns() {
        // A limit of one nanosecond: every run is over it.
        List<Shape> shapes = List.of(new Shape(40, 40), new Shape(20, 20), new Shape(40, 40), new Shape(30, 50));
        SvdBenchmark.Result result = benchmark.run(shapes, 3, Set.of(), 1e-9, ProgressListener.NONE);

        Row first = result.rows().get(0);
        for (Timing t : List.of(first.nd4j(), first.ejml())) {
            assertThat(t.status()).isEqualTo(Status.OK);
            assertThat(t.runs()).as("runs stop at the first one over the limit").isEqualTo(1);
        }
        Row smaller = result.rows().get(1);
        assertThat(smaller.nd4j().status()).as("a smaller shape still runs").isEqualTo(Status.OK);
        assertThat(smaller.ejml().status()).as("a smaller shape still runs").isEqualTo(Status.OK);
        for (Row row : result.rows()) {
            assertThat(row.engine().status()).isEqualTo(Status.OK);
            assertThat(row.engine().runs()).as("the baseline is never cut short").isEqualTo(3);
        }
        for (Row row : result.rows().subList(2, 4)) {
            for (Timing t : List.of(row.nd4j(), row.ejml())) {
                assertThat(t.status()).as("%s %s", row.shape(), t.backend()).isEqualTo(Status.SKIPPED_OVER_LIMIT);
                assertThat(t.message()).isEqualTo("skipped (over 0.000000001 s)");
            }
            assertThat(row.nd4jOverEngine()).isNull();
            assertThat(row.ejmlOverEngine()).isNull();
        }
    }

    @Test
    void theEngineCannotBeSkipped() {
        assertThatThrownBy(() -> benchmark.run(List.of(new Shape(8, 8)), 1, EnumSet.of(Backend.ENGINE),
                Double.POSITIVE_INFINITY, ProgressListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseline");
    }

    @Test
    void parsesSquareAndRectangularSizes() {
        assertThat(Shape.parse("512")).isEqualTo(new Shape(512, 512));
        assertThat(Shape.parse(" 2048X5632 ")).isEqualTo(new Shape(2048, 5632));
        assertThatThrownBy(() -> Shape.parse("2048x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2048x");
        assertThatThrownBy(() -> Shape.parse("0")).isInstanceOf(IllegalArgumentException.class);
    }
}
