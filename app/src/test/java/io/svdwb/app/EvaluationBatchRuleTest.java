package io.svdwb.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.app.session.SessionActions;
import io.svdwb.app.setup.EngineSetup;
import io.svdwb.app.support.DemoEngine;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.model.ModelConfig;
import org.junit.jupiter.api.Test;

/**
 * The workbench's settings leave the batch to the engine's one rule (as many windows as fit in 2048 tokens): the
 * estimate's protocol, the tools' protocol (sweeps, exports, saved sessions) and the default setup.
 */
class EvaluationBatchRuleTest {

    @Test
    void everyWorkbenchProtocolGetsTheEnginesDefaultBatch() throws Exception {
        ModelConfig demo = ModelConfig.read(DemoEngine.MODEL);
        RunSettingsModel run = new RunSettingsModel();
        run.evaluationTextProperty().set(DemoEngine.setup().evaluation().text());

        assertThat(run.estimateProtocol(demo).ctx()).isEqualTo(512);
        assertThat(run.estimateProtocol(demo).batch()).isEqualTo(2048 / 512).isEqualTo(EvaluationProtocol.defaultBatch(512));
        run.evaluationContextProperty().set(128);
        assertThat(run.estimateProtocol(demo).batch()).isEqualTo(2048 / 128);

        EvaluationProtocol tools = SessionActions.evaluation(run);
        assertThat(tools.batch()).isEqualTo(EvaluationProtocol.MODEL_DEFAULT);
        assertThat(tools.resolvedFor(demo)).isEqualTo(run.estimateProtocol(demo));

        assertThat(EngineSetup.defaultEvaluation().resolvedFor(demo).batch()).isEqualTo(2048 / 512);
    }
}
