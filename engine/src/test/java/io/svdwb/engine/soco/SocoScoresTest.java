package io.svdwb.engine.soco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocoScoresTest {

    @TempDir
    Path dir;

    @Test
    void scoresSingularValuesAndKeptComponentsRoundTripExactly() throws IOException {
        SocoScores scores = new SocoScores(Map.of("model.layers.0.self_attn.q_proj",
                new SocoScores.ModuleScores(new double[] {1.25, -0.1, 0.3}, new double[] {3, 2, 1e-7}, new int[] {0, 2})),
                0.4, "steps=1,2,3");
        Path file = dir.resolve(SocoScores.FILE_NAME);
        scores.write(file);
        SocoScores read = SocoScores.read(file);
        SocoScores.ModuleScores q = read.modules().get("model.layers.0.self_attn.q_proj");
        assertArrayEquals(new double[] {1.25, -0.1, 0.3}, q.scores(), 0.0);
        assertArrayEquals(new double[] {3, 2, 1e-7}, q.singularValues(), 0.0);
        assertArrayEquals(new int[] {0, 2}, q.kept());
        assertEquals(2, q.rank());
        assertTrue(q.isKept(2) && !q.isKept(1));
        assertEquals(0.4, read.targetRatio());
        assertEquals("steps=1,2,3", read.settings());
    }

    @Test
    void aMissingOrForeignFileIsNamedInTheError() throws IOException {
        IOException missing = assertThrows(IOException.class, () -> SocoScores.read(dir.resolve("none.safetensors")));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
        Path foreign = dir.resolve("weights.safetensors");
        io.svdwb.engine.safetensors.SafetensorsWriter.to(foreign)
                .addFloats("x", io.svdwb.engine.safetensors.DType.F32, new long[] {1}, new float[] {1}).write();
        IOException wrong = assertThrows(IOException.class, () -> SocoScores.read(foreign));
        assertTrue(wrong.getMessage().contains("not a SoCo scores file"), wrong.getMessage());
        Files.delete(foreign);
    }

    @Test
    void aCheckpointFromAnotherRunIsRefused() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        new SocoCheckpoint("run A", 3, new double[] {1, 2}, new double[2], new double[2]).write(file);
        assertEquals(3, SocoCheckpoint.read(file, "run A").stepsDone());
        IOException e = assertThrows(IOException.class, () -> SocoCheckpoint.read(file, "run B"));
        assertTrue(e.getMessage().contains("different SoCo run"), e.getMessage());
    }
}
