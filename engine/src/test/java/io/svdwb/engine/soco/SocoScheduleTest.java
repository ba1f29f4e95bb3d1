package io.svdwb.engine.soco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The values of docs/METHODS.md §4.8's schedule table at the phase boundaries. */
class SocoScheduleTest {

    private final SocoSchedule s = SocoSchedule.METHODS_MD;

    @Test
    void explorationHasTheBudgetOnNoSparsityAndTheFirstTemperature() {
        SocoSchedule.StepSettings first = s.at(0);
        assertEquals(1, first.phase());
        assertEquals(10, first.lambdaRatio());
        assertEquals(0, first.lambdaSparse());
        assertEquals(0.5, first.temperature());
        assertEquals(1e-2, first.learningRate());
        assertEquals(1, s.at(199).phase());
    }

    @Test
    void refinementAlternatesTheBudgetEveryTwentyStepsAndCoolsLinearly() {
        assertEquals(2, s.at(200).phase());
        assertEquals(10, s.at(200).lambdaRatio());
        assertEquals(10, s.at(219).lambdaRatio());
        assertEquals(0, s.at(220).lambdaRatio());
        assertEquals(0, s.at(239).lambdaRatio());
        assertEquals(10, s.at(240).lambdaRatio());
        assertEquals(0.5, s.at(200).temperature(), 1e-15);
        assertEquals(0.1, s.at(599).temperature(), 1e-15);
        assertEquals(5e-3, s.at(400).learningRate());
    }

    @Test
    void sparsificationRampsTheL1WeightAndCoolsToTheLastTemperature() {
        assertEquals(3, s.at(600).phase());
        assertEquals(1e-3, s.at(600).lambdaSparse(), 1e-17);
        assertEquals(1e-2, s.at(999).lambdaSparse(), 1e-17);
        assertEquals(0.1, s.at(600).temperature(), 1e-15);
        assertEquals(0.01, s.at(999).temperature(), 1e-15);
        assertEquals(10, s.at(700).lambdaRatio());
        assertEquals(2e-3, s.at(999).learningRate());
        assertEquals(1000, s.totalSteps());
        assertThrows(IllegalArgumentException.class, () -> s.at(1000));
    }

    @Test
    void theDefaultIsTheTableAtHalfTheStepsWithLambdaRatio30() {
        SocoSchedule d = SocoSchedule.DEFAULT;
        assertEquals(500, d.totalSteps());
        assertEquals(30, d.at(0).lambdaRatio());
        assertEquals(2, d.at(100).phase());
        assertEquals(0.1, d.at(299).temperature(), 1e-15);
        assertEquals(3, d.at(300).phase());
        assertEquals(2e-3, d.at(499).learningRate());
    }

    @Test
    void rejectsSchedulesThatCannotRun() {
        assertThrows(IllegalArgumentException.class, () -> s.withSteps(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> s.withLearningRates(0.01, -1, 0.01));
        assertThrows(IllegalArgumentException.class, () -> s.withTemperatures(0.5, 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> s.withLambdas(Double.NaN, 0, 0));
    }
}
