package io.svdwb.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.TestData;
import io.svdwb.engine.model.TextTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EvaluationTextTest {

    private static TextTokenizer tokenizer;

    @BeforeAll
    static void open() throws Exception {
        tokenizer = TextTokenizer.open(TestData.demoModel());
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void oneBosAtTheStartOfAPlainText() {
        int[] ids = EvaluationText.tokenize("Once upon a time.\nThe end.", tokenizer, null);
        assertThat(ids[0]).isEqualTo(1);
        assertThat(java.util.Arrays.stream(ids).filter(i -> i == 1).count()).isEqualTo(1);
    }

    @Test
    void eachTrimmedDocumentGetsItsOwnBos() {
        String text = "  Tom ran.  <|endoftext|>\nSue sat.\n<|endoftext|>\n";
        int[] ids = EvaluationText.tokenize(text, tokenizer, "<|endoftext|>");
        int[] first = tokenizer.encode("Tom ran.");
        int[] second = tokenizer.encode("Sue sat.");
        int[] expected = new int[first.length + second.length + 2];
        expected[0] = 1;
        System.arraycopy(first, 0, expected, 1, first.length);
        expected[first.length + 1] = 1;
        System.arraycopy(second, 0, expected, first.length + 2, second.length);
        assertThat(ids).containsExactly(expected);
    }

    @Test
    void longTextsAreNotTruncatedAt512Tokens() {
        String text = "the cat sat on the mat. ".repeat(400);
        assertThat(tokenizer.encode(text).length).isGreaterThan(2000);
    }

    @Test
    void spacesAfterNewlinesSurviveAsInSentencePiece() {
        // WikiText lines start with a space; SentencePiece keeps it as "▁" (id 410). The tokenizer.json's
        // line-anchored regex would drop it under the Hugging Face library (see TokenizerDefinitionFix).
        // reference_logits_wikitext2_test.json gives " \n = Robert" as 410 13 410 64 (▁ \n ▁ =)
        int[] ids = tokenizer.encode("x\n = y");
        int newline = 13;
        int at = -1;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == newline) {
                at = i;
            }
        }
        assertThat(at).isNotNegative();
        assertThat(ids[at + 1]).isEqualTo(410);
        assertThat(ids[at + 2]).isEqualTo(64);
    }
}
