package io.svdwb.engine.export;

import static io.svdwb.engine.export.ColumnPreservingExportTest.UP;
import static io.svdwb.engine.export.ExportFixtures.LA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.ModelConfigException;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.progress.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A damaged column_preserving_kept_columns entry is refused with a message naming the module. */
class ColumnPreservingLoadErrorsTest extends DemoModelExportTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private Path out;

    @BeforeEach
    void export() throws Exception {
        Map<String, Linear> one = Map.of(UP,
                ExportFixtures.columnPreserving(source, 4, ProjectionKind.UP, ColumnPreservingExportTest.UP_KEPT, 8));
        out = tmp.resolve("factored");
        new CheckpointExporter(LA).export(ExportFixtures.request(source, one, ExportFormat.FACTORED, false), out, ProgressListener.NONE);
        try (Checkpoint intact = FactoredCheckpoint.open(out)) {
            assertThat(intact.keptColumns()).containsOnlyKeys(UP);
        }
    }

    @Test
    void unsortedOrRepeatedIndicesAreRefused() throws Exception {
        setKept("[7, 0, 31, 63]");
        assertRefused("kept columns of " + UP + " must be strictly ascending", "7 before 0");
        setKept("[0, 7, 7, 63]");
        assertRefused("kept columns of " + UP + " must be strictly ascending", "7 before 7");
    }

    @Test
    void anIndexOutOfRangeIsRefused() throws Exception {
        setKept("[0, 7, 31, 64]");
        assertRefused("kept columns of " + UP + ": index 64 is outside [0, 64)");
        setKept("[-1, 7, 31, 63]");
        assertRefused("kept columns of " + UP + ": index -1 is outside [0, 64)");
    }

    @Test
    void aCountThatDoesNotMatchTheCLinearShapeIsRefused() throws Exception {
        setKept("[0, 7, 31]");
        assertRefused("size mismatch for " + UP + ".CLinear.weight", "[172, 4]", "[172, 3]");
    }

    @Test
    void keptColumnsForAModuleWithoutRankOrWithoutTheirListAreRefused() throws Exception {
        edit(root -> ((ObjectNode) root.get("truncation_ranks")).remove(UP));
        assertRefused("kept columns are listed for " + UP + ", which has no rank");
        edit(root -> ((ObjectNode) root.get("truncation_ranks")).put(UP, 8));
        edit(root -> ((ObjectNode) root.get("column_preserving_kept_columns")).remove(UP));
        assertRefused("size mismatch for " + UP + ".BLinear.weight", "unexpected tensors [" + UP + ".CLinear.weight]");
    }

    @Test
    void entriesOfTheWrongJsonTypeAreRefused() throws Exception {
        setKept("[0, \"seven\", 31, 63]");
        assertRefused("column_preserving_kept_columns." + UP + " must hold integer column indices");
        setKept("4");
        assertRefused("column_preserving_kept_columns." + UP + " must be an array");
        setKept("[]");
        assertRefused("kept columns of " + UP + ": need 1 to 63 of its 64 input columns, got 0");
    }

    private void setKept(String json) throws Exception {
        edit(root -> {
            try {
                ((ObjectNode) root.get("column_preserving_kept_columns")).set(UP, JSON.readTree(json));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void edit(Consumer<ObjectNode> change) throws Exception {
        Path config = out.resolve("config.json");
        ObjectNode root = (ObjectNode) JSON.readTree(config.toFile());
        change.accept(root);
        Files.writeString(config, JSON.writeValueAsString(root));
    }

    private void assertRefused(String... fragments) {
        var thrown = assertThatThrownBy(() -> FactoredCheckpoint.open(out)).isInstanceOf(ModelConfigException.class);
        for (String fragment : fragments) {
            thrown.hasMessageContaining(fragment);
        }
    }
}
