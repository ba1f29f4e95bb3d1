package io.svdwb.app;

import static io.svdwb.app.support.Fx.onFx;
import static io.svdwb.app.support.Fx.runFx;
import static io.svdwb.app.support.Fx.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.app.compare.ComparisonRow;
import io.svdwb.engine.cli.SvdwbCli;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.workbench.PerplexityEstimate;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/**
 * One evaluation default for the command line and the workbench: the demo model's numbers under the workbench's
 * default protocol equal {@code svdwb eval --max-tokens 2048} (run in-process), and the same evaluation at
 * reference_ppl.json's protocol (ctx 256, first 20,480 tokens) matches that independent float64 reference.
 */
@ExtendWith(ApplicationExtension.class)
class EvaluationDefaultTest {

    private static final Path DEMO = DemoModelLocator.find().orElseThrow();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Workbench workbench;

    @Start
    void start(Stage stage) {
        workbench = Workbench.show(stage, owner -> Optional.empty(), TestEngineSettings.settings());
        workbench.open(DEMO);
    }

    @Stop
    void stop() {
        workbench.close();
    }

    @Test
    void theWorkbenchMeasuresTheUncompressedModelAsSvdwbEvalDoes(FxRobot robot) throws Exception {
        JsonNode cli = eval("--max-tokens", "2048");
        // The demo model's default window: min(2048, max_position_embeddings = 512).
        assertThat(cli.get("ctx").asInt()).isEqualTo(512);

        runFx(() -> workbench.model().compression().methodProperty().set(MethodId.SVD));
        waitUntil(() -> {
            PerplexityEstimate shown = workbench.model().currentEstimateProperty().getValue();
            return shown != null && shown.request().method() == MethodId.SVD && !workbench.model().results().estimateJob().isRunning();
        });
        PerplexityEstimate estimate = onFx(() -> workbench.model().currentEstimateProperty().getValue());
        assertThat(estimate.protocol().ctx()).isEqualTo(cli.get("ctx").asInt());
        assertThat(estimate.protocol().maxTokens()).isEqualTo(2048);
        assertThat(estimate.protocol().batch()).isEqualTo(EvaluationProtocol.defaultBatch(512));
        assertThat(estimate.perplexity().windows()).isEqualTo(cli.get("windows").asInt());
        // The protocol is shown next to the number.
        assertThat(onFx(() -> robot.lookup("#estimateSetting").queryAs(Label.class).getText())).contains("first 2,048 tokens, ctx 512");

        double uncompressed = baselineOfASweep(robot);
        double expected = cli.get("perplexity").asDouble();
        assertThat(uncompressed).isCloseTo(expected, within(1e-9 * expected));
    }

    @Test
    void atTheReferencesProtocolTheWorkbenchMatchesTheFloat64Reference(FxRobot robot) throws Exception {
        JsonNode reference = JSON.readTree(DEMO.resolve("reference_ppl.json").toFile());
        assertThat(reference.get("window").asInt()).isEqualTo(256);
        assertThat(reference.get("max_tokens").asInt()).isEqualTo(20_480);
        waitUntil(() -> workbench.model().getOpenedModel() != null);
        runFx(() -> {
            workbench.model().runSettings().evaluationContextProperty().set(256);
            workbench.model().runSettings().estimateTokensProperty().set(20_480);
        });
        double uncompressed = baselineOfASweep(robot);
        double expected = reference.get("ppl").get("wiki.test.raw").get("ppl").asDouble();
        // float32 against float64: 0.05 % relative, as EvalCommandReferenceTest allows the CLI.
        assertThat(uncompressed).isCloseTo(expected, within(5e-4 * expected));
        assertThat(uncompressed).isCloseTo(eval("--ctx", "256", "--max-tokens", "20480").get("perplexity").asDouble(),
                within(1e-9 * expected));
    }

    /** The uncompressed row of a one-cell sweep in the compare window, which evaluates with the workbench's run settings. */
    private double baselineOfASweep(FxRobot robot) throws Exception {
        waitUntil(() -> workbench.tools().engineSetup().get() != null);
        runFx(() -> {
            workbench.tools().openCompare();
            workbench.tools().compare().methods().setAll(List.of(MethodId.SVD));
            workbench.tools().compare().ratiosTextProperty().set("0.4");
        });
        robot.clickOn("#runSweep");
        waitUntil(() -> !workbench.tools().compare().runningProperty().get() && workbench.tools().compare().rows().size() == 2);
        return onFx(() -> workbench.tools().compare().rows().stream().filter(ComparisonRow::baseline).findFirst().orElseThrow().perplexity());
    }

    private static JsonNode eval(String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("eval", "--model", DEMO.toString(), "--json", "--no-progress"));
        args.addAll(List.of(options));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SvdwbCli.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(exit).as(err.toString()).isZero();
        return JSON.readTree(out.toString());
    }
}
