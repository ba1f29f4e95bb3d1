package io.svdwb.app.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svdwb.app.compare.ComparisonRow;
import io.svdwb.app.compare.ModuleLoss;
import io.svdwb.app.setup.CalibrationSetup;
import io.svdwb.app.CompressionSetting;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.calibration.CalibrationSettings;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.kernels.ResidualSvd;
import io.svdwb.engine.compress.kernels.Whitening;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.compress.kernels.RealisedRatio;
import io.svdwb.engine.compress.method.ModuleOutcome;
import io.svdwb.engine.eval.PerplexityResult;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.workbench.PerplexityEstimate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Every field away from its default, so a field that is dropped or swapped on the way shows. */
    static Session session() {
        BitSet layers = new BitSet();
        layers.set(0);
        layers.set(2, 4);
        io.svdwb.engine.compress.method.MethodSettings options = MethodId.ASVD.defaults().with("asvd-alpha", "0.7")
                .with("asvd-ranks", "uniform").with("probe-samples", "2").with("probe-length", "64").with("probe-seed", "7");
        CompressionSetting choice = new CompressionSetting(MethodId.ASVD, 0.35,
                new Selection(layers, EnumSet.of(ProjectionKind.Q, ProjectionKind.K, ProjectionKind.GATE),
                        Set.of(new Selection.Matrix(2, ProjectionKind.K), new Selection.Matrix(3, ProjectionKind.GATE))), options,
                new io.svdwb.engine.compress.quant.FactorStorage(io.svdwb.engine.compress.quant.FactorStorage.Precision.INT8, 16));
        CalibrationSetup calibration = new CalibrationSetup(Path.of("/data/calib.txt"),
                new CalibrationSettings(16, 128, 7, 4), Path.of("/tmp/cache"));
        EvaluationProtocol evaluation = new EvaluationProtocol(Path.of("/data/test.txt"), 256, 2048, 2, "<|endoftext|>");
        List<ComparisonRow> rows = List.of(
                new ComparisonRow(null, 0, 0, -1, 107.587, 2040, 0, 0.93, List.of()),
                new ComparisonRow("svd-llm", 0.4, 0.41991, 131_420, 199.4264, 2040, 1.6, 0.7,
                        List.of(new ModuleLoss(0, "q", 19, 0, 2432, 3.25), new ModuleLoss(0, "k", 12, 0, 1152, 1.5e-3))),
                new ComparisonRow("ressvd", 0.4, 0.4012, 135_000, 250.5, 2040, 2.5, 0.8,
                        List.of(new ModuleLoss(4, "down", 27, 0, 6372, Double.NaN), new ModuleLoss(1, "up", 0, 0, 11_008, 0))));
        return new Session(Path.of("/models/stories260K"), choice, calibration, evaluation, List.of(MethodId.SVD, MethodId.SVD_LLM),
                "0.2,0.4", "wiki.test.raw, ctx 256, first 2,048 tokens", rows, estimate(choice));
    }

    /** An estimate of {@code choice} with every field set, a NaN loss among them. */
    static SavedEstimate estimate(CompressionSetting choice) {
        PerplexityEstimate estimate = new PerplexityEstimate(choice.request(), new EvaluationProtocol(Path.of("/data/test.txt"), 512, 2048, 4, null),
                new PerplexityResult(115.6712, 4.7507, 2044, 4, 512, 809_285, 2048, 0, 0.25),
                new RealisedRatio(226_560, 131_420, 260_032),
                List.of(new ModuleOutcome(new MatrixSpec(0, ProjectionKind.Q, "model.layers.0.self_attn.q_proj.weight", 64, 64), 19, 0, 2432, 3.25),
                        new ModuleOutcome(new MatrixSpec(3, ProjectionKind.DOWN, "model.layers.3.mlp.down_proj.weight", 64, 172), 27, 2, 6372,
                                Double.NaN)));
        return new SavedEstimate(estimate, new CalibrationSettings(16, 128, 7, 4));
    }

    @Test
    void aSavedSessionReadsBackEqual() throws Exception {
        Session saved = session();
        Path file = dir.resolve("demo.svdwb.json");
        SessionStore.write(saved, file);
        assertThat(Files.readString(file)).contains("\"format\" : \"svdwb-session-v4\"").contains("\"method\" : \"asvd\"");

        Session read = SessionStore.read(file);
        assertThat(read).isEqualTo(saved);
        // Spelled out where equality could hide a conversion: the bit set, the enum sets, the NaN loss.
        assertThat(read.compression().selection().layers().stream().boxed().toList()).containsExactly(0, 2, 3);
        assertThat(read.compression().selection().describe()).isEqualTo("layers 0,2-3; modules q,k,gate; excluding 2.k,3.gate");
        assertThat(Files.readString(file)).containsIgnoringWhitespaces("\"exclude\" : [ \"2.k\", \"3.gate\" ]");
        assertThat(read.compression().settings().text("asvd-alpha")).isEqualTo("0.7");
        assertThat(read.sweepRows().get(2).modules().get(0).loss()).isNaN();
        assertThat(read.estimate()).isEqualTo(saved.estimate());
        assertThat(read.estimate().estimate().modules().get(1).loss()).isNaN();
        assertThat(read.estimate().estimate().protocol().describe()).isEqualTo("test.txt, first 2,048 tokens, ctx 512");
    }

    @Test
    void aSavedSessionHasTheUsualPermissionsNotATempFilesOwnerOnlyOnes() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        Path file = dir.resolve("shared.svdwb.json");
        SessionStore.write(session(), file);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(plain));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("plain.txt", "shared.svdwb.json");
        }
    }

    @Test
    void aSessionWithoutResultsOrDefaultsReadsBackEqual() throws Exception {
        Session bare = new Session(Path.of("m"), new CompressionSetting(MethodId.SVD, 0.2,
                new Selection(new BitSet(), EnumSet.noneOf(ProjectionKind.class)), MethodId.SVD.defaults()),
                new CalibrationSetup(null, CalibrationSettings.defaults(), null), new EvaluationProtocol(null, 0, 0, 0, null),
                List.of(), "", "", List.of(), null);
        Path file = dir.resolve("bare.svdwb.json");
        SessionStore.write(bare, file);
        assertThat(SessionStore.read(file)).isEqualTo(bare);
    }

    @Test
    void aVersion2FileReadsWithoutItsEstimate() throws Exception {
        // v2 had an estimate of four loose fields that no version wrote; it cannot be shown as measured, so it is dropped.
        Path file = dir.resolve("v2.svdwb.json");
        SessionStore.write(session(), file);
        ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
        root.put("format", "svdwb-session-v2");
        asLegacyOptions((ObjectNode) root.get("compression"));
        root.putObject("estimate").put("perplexity", 201.3).put("achievedRatio", 0.4199).put("keptParameters", 131_420)
                .put("protocol", "4 windows");
        Files.writeString(file, JSON.writeValueAsString(root));

        Session read = SessionStore.read(file);
        Session saved = session();
        assertThat(read.estimate()).isNull();
        assertThat(read.compression().settings()).isEqualTo(saved.compression().settings());
        assertThat(read.compression().factorStorage().quantized()).isFalse();
        assertThat(read.calibration()).isEqualTo(saved.calibration());
        assertThat(read.evaluation()).isEqualTo(saved.evaluation());
        assertThat(read.sweepRows()).isEqualTo(saved.sweepRows());
    }

    @Test
    void aVersion1FileReadsWithNothingExcluded() throws Exception {
        // A v1 file is the v2 layout without compression.exclude (the format before exclusions existed).
        Path file = dir.resolve("old.svdwb.json");
        SessionStore.write(session(), file);
        ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
        root.put("format", "svdwb-session-v1");
        asLegacyOptions((ObjectNode) root.get("compression"));
        ((ObjectNode) root.get("compression")).remove("exclude");
        root.putNull("estimate");
        Files.writeString(file, JSON.writeValueAsString(root));

        Session read = SessionStore.read(file);
        Selection selection = read.compression().selection();
        assertThat(selection.describe()).isEqualTo("layers 0,2-3; modules q,k,gate");
        assertThat(selection.excluded()).isEmpty();
        Session saved = session();
        assertThat(read.compression().settings()).isEqualTo(saved.compression().settings());
        assertThat(read.sweepRows()).isEqualTo(saved.sweepRows());

        // A v1 file that names exclusions was not written by any version.
        ((ObjectNode) root.get("compression")).putArray("exclude").add("2.k");
        Files.writeString(file, JSON.writeValueAsString(root));
        assertThatThrownBy(() -> SessionStore.read(file)).hasMessage(file + ": a svdwb-session-v1 file with a wrong entry at "
                + "compression.exclude: exclusions exist from svdwb-session-v2 on");
    }

    @Test
    void aVersion3FileReadsItsOptionsRecordAsTheMethodsSettings() throws Exception {
        Path file = dir.resolve("v3.svdwb.json");
        SessionStore.write(session(), file);
        ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
        root.put("format", "svdwb-session-v3");
        asLegacyOptions((ObjectNode) root.get("compression"));
        Files.writeString(file, JSON.writeValueAsString(root));

        Session read = SessionStore.read(file);
        CompressionSetting saved = session().compression();
        // v3 had no int8 factors: the same setting with the factors at the dense dtype
        assertThat(read.compression()).isEqualTo(new CompressionSetting(saved.method(), saved.ratio(), saved.selection(), saved.settings()));
    }

    /**
     * v1-v3 stored every method's knobs in one record with the workbench's own names: {@link #session()}'s ASVD settings
     * written that way, by hand from the v3 layout (its Options and Whitening records), the other knobs at their defaults.
     */
    private static void asLegacyOptions(ObjectNode compression) {
        compression.remove("settings");
        compression.remove("factorDtype");
        ObjectNode options = compression.putObject("options");
        options.putObject("whitening").put("initialRelativeRidge", 1e-6).put("dampingFraction", 0.05).put("eigenShiftFloor", 1e-6)
                .putArray("fallbacks").add("damping");
        options.put("asvdAlpha", 0.7).put("asvdRankSearch", false).put("ressvdBeta", 0.05).put("ressvdMetric", "whitened")
                .put("ressvdLayers", 0).put("ressvdMaxLayerRatio", 0.9).put("duoAllocation", true).put("duoColumnPreserving", true)
                .put("probeSamples", 2).put("probeLength", 64).put("probeSeed", 7);
    }

    @Test
    void anImpossibleExclusionIsNamed() throws Exception {
        Path file = dir.resolve("edited.svdwb.json");
        SessionStore.write(session(), file);
        Files.writeString(file, Files.readString(file).replace("\"3.gate\"", "\"3.gat\""));
        assertThatThrownBy(() -> SessionStore.read(file)).hasMessage(file + ": a svdwb-session-v4 file with an impossible value: "
                + "exclusion '3.gat': unknown module 'gat'; known: q, k, v, o, gate, up, down");
    }

    @Test
    void malformedJsonSaysWhereItBreaks() throws Exception {
        Path file = dir.resolve("broken.svdwb.json");
        Files.writeString(file, "{\"format\": \"svdwb-session-v1\",\n \"model\": ");
        assertThatThrownBy(() -> SessionStore.read(file)).isInstanceOf(SessionFileException.class)
                .hasMessageStartingWith(file + ": not a session file: the JSON is malformed (")
                .hasMessageContaining("at line 2");
    }

    @Test
    void aNewerVersionIsRefusedByName() throws Exception {
        Path file = dir.resolve("newer.svdwb.json");
        SessionStore.write(session(), file);
        Files.writeString(file, Files.readString(file).replace("svdwb-session-v4", "svdwb-session-v5"));
        assertThatThrownBy(() -> SessionStore.read(file)).isInstanceOf(SessionFileException.class)
                .hasMessage(file + ": written by a newer SVD Workbench (format svdwb-session-v5); this version reads svdwb-session-v1, "
                        + "svdwb-session-v2, svdwb-session-v3 and svdwb-session-v4");
    }

    @Test
    void otherJsonIsNotASession() throws Exception {
        Path file = dir.resolve("other.json");
        Files.writeString(file, "{\"rows\": []}");
        assertThatThrownBy(() -> SessionStore.read(file)).isInstanceOf(SessionFileException.class)
                .hasMessage(file + ": not an SVD Workbench session (it has no \"format\": \"svdwb-session-v4\")");
    }

    @Test
    void wrongTypesAndImpossibleValuesAreNamed() throws Exception {
        Path file = dir.resolve("edited.svdwb.json");
        SessionStore.write(session(), file);
        String text = Files.readString(file);

        Files.writeString(file, text.replace("\"asvd-alpha\" : \"0.7\"", "\"asvd-alpha\" : \"high\""));
        assertThatThrownBy(() -> SessionStore.read(file)).hasMessage(file
                + ": a svdwb-session-v4 file with an impossible value: --asvd-alpha takes a number, got 'high'");

        Files.writeString(file, text.replace("\"ratio\" : 0.35", "\"ratio\" : 1.5"));
        assertThatThrownBy(() -> SessionStore.read(file)).hasMessage(file + ": a svdwb-session-v4 file with an impossible value: "
                + "compression ratio must be strictly between 0 and 1 (the fraction of parameters removed, e.g. 0.2 for 20 %), got 1.5");

        Files.writeString(file, text.replace("\"method\" : \"asvd\"", "\"method\" : \"magic\""));
        assertThatThrownBy(() -> SessionStore.read(file)).hasMessageContaining("impossible value: unknown method 'magic'");

        Files.writeString(file, text.replace("\"model\" :", "\"modell\" :"));
        assertThatThrownBy(() -> SessionStore.read(file)).hasMessageContaining("wrong entry");
    }
}
