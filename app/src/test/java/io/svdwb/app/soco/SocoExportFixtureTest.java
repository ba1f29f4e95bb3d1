package io.svdwb.app.soco;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.app.OpenedModel;
import io.svdwb.engine.export.FactoredCheckpoint;
import io.svdwb.engine.soco.SocoScores;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture's export is what the workbench tests rely on: a factored checkpoint whose ranks are the scores file's. */
class SocoExportFixtureTest {

    @Test
    void theExportsRanksAreTheScoresFilesKeptCountsAndTheWorkbenchOpensIt(@TempDir Path temp) throws Exception {
        Path folder = SocoExportFixture.export(temp.resolve("soco-export"));

        SocoScores scores = SocoScores.read(folder.resolve(SocoScores.FILE_NAME));
        Map<String, Integer> ranks = FactoredCheckpoint.truncationRanks(folder);
        assertThat(scores.targetRatio()).isEqualTo(SocoExportFixture.RATIO);
        assertThat(scores.modules().keySet()).containsExactlyInAnyOrderElementsOf(ranks.keySet());
        scores.modules().forEach((module, m) -> assertThat(m.rank()).as(module).isEqualTo(ranks.get(module)));
        try (OpenedModel opened = OpenedModel.open(folder)) {
            assertThat(opened.matrices()).hasSize(35);
            assertThat(opened.checkpoint().factoredRanks()).isEqualTo(ranks);
        }
    }
}
