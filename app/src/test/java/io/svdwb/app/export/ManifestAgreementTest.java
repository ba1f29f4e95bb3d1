package io.svdwb.app.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.app.CompressionSetting;
import io.svdwb.app.setup.EngineContexts;
import io.svdwb.app.setup.EngineSetup;
import io.svdwb.app.support.DemoEngine;
import io.svdwb.engine.ToolVersion;
import io.svdwb.engine.cli.SvdwbCli;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.export.CheckpointExporter;
import io.svdwb.engine.export.ExportFormat;
import io.svdwb.engine.export.Manifest;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.progress.ProgressListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code svdwb compress --out} and the workbench's export of the same request write the same manifest: the same tool
 * name and version, the same wording of the protocol, the same calibration and ranks, since both are one engine use case.
 */
class ManifestAgreementTest {

    private static final EngineSetup SETUP = DemoEngine.setup();

    @TempDir
    Path out;

    @Test
    void theCommandLineAndTheWorkbenchDescribeAnExportAlike() throws Exception {
        Manifest cli = compressByTheCommandLine(out.resolve("cli"), true);
        Manifest workbench = exportByTheWorkbench(ExportKind.DENSE, out.resolve("workbench"));

        assertThat(workbench.toolVersion()).isEqualTo(cli.toolVersion()).isEqualTo(ToolVersion.current());
        EvaluationProtocol resolved = SETUP.evaluation().resolvedFor(ModelConfig.read(DemoEngine.MODEL));
        assertThat(workbench.evaluationProtocol()).isEqualTo(cli.evaluationProtocol()).isEqualTo(resolved.describe())
                .isEqualTo("wiki.test.raw, first 2,048 tokens, ctx 256");
        assertThat(workbench.calibrationData()).isEqualTo(cli.calibrationData()).isEqualTo(SETUP.calibration().text().toString());
        assertThat(workbench).isEqualTo(cli);
    }

    @Test
    void anUnmeasuredRunIsNamedAlikeToo() throws Exception {
        Manifest cli = compressByTheCommandLine(out.resolve("cli"), false);
        Manifest rankMap = exportByTheWorkbench(ExportKind.RANK_MAP_ONLY, out.resolve("rank-map"));

        assertThat(rankMap.toolVersion()).isEqualTo(cli.toolVersion());
        assertThat(rankMap.evaluationProtocol()).isEqualTo(cli.evaluationProtocol()).isEqualTo("not evaluated");
        // the rank map is no checkpoint, so its manifest names no format
        assertThat(rankMap.withFormat(ExportFormat.DENSE)).isEqualTo(cli);
    }

    /** svd-llm at 0.4 on every matrix, calibrated and measured by exactly the workbench setup's settings. */
    private static Manifest compressByTheCommandLine(Path folder, boolean evaluate) throws Exception {
        List<String> args = new ArrayList<>(List.of("compress", "--model", DemoEngine.MODEL.toString(), "--method", "svd-llm",
                "--ratio", "0.4", "--calib", SETUP.calibration().text().toString(), "--calib-samples", "16", "--calib-length", "128",
                "--calib-cache", DemoEngine.CALIBRATION_CACHE.toString(), "--out", folder.toString(), "--no-progress"));
        if (evaluate) {
            args.addAll(List.of("--eval", "--text", SETUP.evaluation().text().toString(), "--ctx", "256", "--max-tokens", "2048"));
        }
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int code = SvdwbCli.run(args.toArray(String[]::new), new PrintWriter(stdout, true), new PrintWriter(stderr, true));
        assertThat(code).as(stderr.toString()).isZero();
        return Manifest.fromJson(Files.readString(folder.resolve(CheckpointExporter.MANIFEST)));
    }

    private static Manifest exportByTheWorkbench(ExportKind kind, Path folder) throws Exception {
        java.util.BitSet layers = new java.util.BitSet();
        layers.set(0, ModelConfig.read(DemoEngine.MODEL).numLayers());
        CompressionSetting setting = new CompressionSetting(MethodId.SVD_LLM, 0.4,
                new Selection(layers, java.util.EnumSet.allOf(io.svdwb.engine.model.ProjectionKind.class)), MethodId.SVD_LLM.defaults());
        try (EngineContexts contexts = new EngineContexts()) {
            new ExportJob(contexts, SETUP, setting).run(kind, folder, false, ProgressListener.NONE);
        }
        return Manifest.fromJson(Files.readString(folder.resolve(CheckpointExporter.MANIFEST)));
    }
}
