package io.svdwb.engine.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.TestData;
import io.svdwb.engine.model.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationSamplerTest {

    static TextTokenizer tokenizer;
    static int[] tokens;

    @TempDir
    Path dir;

    @BeforeAll
    static void tokenize() throws Exception {
        tokenizer = TextTokenizer.open(TestData.demoModel());
        tokens = tokenizer.encode(Files.readString(wikiTrainHead()));
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    static Path wikiTrainHead() {
        return TestData.repoRoot().resolve("resources/data/wikitext-2/wiki.train.head.tokens");
    }

    @Test
    void sameSeedGivesTheSameWindowsAnotherSeedOtherWindows() {
        CalibrationSampler sampler = new CalibrationSampler(tokenizer);
        CalibrationWindows a = sampler.sample(tokens, "text", 8, 64, 3);
        CalibrationWindows b = sampler.sample(tokens, "text", 8, 64, 3);
        CalibrationWindows c = sampler.sample(tokens, "text", 8, 64, 4);
        assertThat(a.windows()).isDeepEqualTo(b.windows());
        assertThat(a.starts()).containsExactly(b.starts());
        assertThat(Arrays.equals(a.starts(), c.starts())).isFalse();
    }

    @Test
    void windowsStartWithBosAndCopyTheTextWithinBounds() {
        assertThat(tokenizer.addsBos()).isTrue();
        CalibrationWindows w = new CalibrationSampler(tokenizer).sample(tokens, "text", 32, 64, 7);
        assertThat(w.count()).isEqualTo(32);
        assertThat(w.textTokens()).isEqualTo(tokens.length);
        for (int i = 0; i < w.count(); i++) {
            int[] window = w.windows()[i];
            int start = w.starts()[i];
            assertThat(window).hasSize(64);
            assertThat(window[0]).isEqualTo(tokenizer.bosId());
            assertThat(start).isBetween(0, tokens.length - 63);
            assertThat(Arrays.copyOfRange(window, 1, 64)).containsExactly(Arrays.copyOfRange(tokens, start, start + 63));
        }
    }

    @Test
    void startPositionsSpreadOverTheWholeText() {
        CalibrationWindows w = new CalibrationSampler(tokenizer).sample(tokens, "text", 256, 64, 1);
        int max = Arrays.stream(w.starts()).max().orElseThrow();
        int min = Arrays.stream(w.starts()).min().orElseThrow();
        assertThat(max - min).isGreaterThan(tokens.length / 2);
    }

    @Test
    void readsAndTokenizesAFile() throws Exception {
        CalibrationWindows fromFile = new CalibrationSampler(tokenizer).sample(wikiTrainHead(), 4, 32, 3);
        assertThat(fromFile.windows()).isDeepEqualTo(new CalibrationSampler(tokenizer).sample(tokens, "x", 4, 32, 3).windows());
    }

    @Test
    void tooShortTextNamesFileAvailableAndNeededTokens() throws Exception {
        Path file = dir.resolve("short.txt");
        Files.writeString(file, "Hi.");
        int available = tokenizer.encode(Files.readString(file)).length;
        CalibrationSampler sampler = new CalibrationSampler(tokenizer);
        assertThatThrownBy(() -> sampler.sample(file, 1, 64, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("has " + available + " tokens")
                .hasMessageContaining("needs 63");
        // Long enough for one window but not for N x L.
        assertThatThrownBy(() -> sampler.sample(tokens, "wiki", tokens.length / 100 + 1, 101, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wiki: the text has " + tokens.length + " tokens")
                .hasMessageContaining("needs " + (long) (tokens.length / 100 + 1) * 100);
    }
}
