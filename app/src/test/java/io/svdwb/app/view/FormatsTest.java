package io.svdwb.app.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Counts are grouped by hand; the reference is the JDK's own "%,d" in the root locale. */
class FormatsTest {

    @Test
    void countGroupsDigitsExactlyAsTheJdksFormatterDoes() {
        long[] edges = {0, 1, -1, 999, -999, 1_000, -1_000, 9_999, 10_000, 99_999, 100_000, 999_999, 1_000_000, -1_000_000,
                260_032, 226_560, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, Integer.MAX_VALUE, Integer.MIN_VALUE};
        for (long value : edges) {
            assertThat(Formats.count(value)).as("%d", value).isEqualTo(String.format(Locale.ROOT, "%,d", value));
        }
        SplittableRandom random = new SplittableRandom(4096);
        for (int i = 0; i < 10_000; i++) {
            // Every magnitude: a random long shifted right by 0..63 bits, either sign.
            long value = random.nextLong() >> random.nextInt(64);
            assertThat(Formats.count(value)).as("%d", value).isEqualTo(String.format(Locale.ROOT, "%,d", value));
        }
        assertThat(Formats.count(260_032)).isEqualTo("260,032");
    }
}
