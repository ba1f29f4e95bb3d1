package io.svdwb.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svdwb.engine.eval.EvaluationText;
import io.svdwb.engine.files.FileProblemException;
import io.svdwb.engine.files.ReadableFiles;
import io.svdwb.engine.files.TextFiles;
import io.svdwb.engine.model.TextTokenizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Diagnostic: the token ids the engine gives a text, so that an outside tokenizer can be compared with it
 * (scripts/interop.sh compares them with the Hugging Face {@code tokenizers} library). Hidden from the help.
 */
@Command(name = "tokenize", hidden = true, mixinStandardHelpOptions = true,
        description = "Diagnostic: print the token ids of a text file (no special tokens added; --eval-protocol adds the BOS as eval does).")
final class TokenizeCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--text", paramLabel = "FILE", required = true, description = "UTF-8 text file to tokenize.")
    Path text;

    @Option(names = "--eval-protocol", description = "The token stream of eval: one BOS at the start when the model's tokenizer adds one.")
    boolean evalProtocol;

    @Option(names = "--json", description = "Print one JSON object {\"ids\": [...], \"count\": N, ...} instead of one id per line.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path file;
        try {
            file = ReadableFiles.requireReadable(text, "a text file");
        } catch (FileProblemException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        String content = TextFiles.readUtf8(file);
        int[] ids;
        boolean addsBos;
        int bosId;
        try (TextTokenizer tokenizer = TextTokenizer.open(modelOptions.modelDir())) {
            ids = evalProtocol ? EvaluationText.tokenize(content, tokenizer, null) : tokenizer.encode(content);
            addsBos = tokenizer.addsBos();
            bosId = tokenizer.bosId();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode o = mapper.createObjectNode();
            o.put("model", modelOptions.modelDir().toString());
            o.put("text", file.toString());
            o.put("eval_protocol", evalProtocol);
            o.put("adds_bos", addsBos);
            o.put("bos_id", bosId);
            o.put("count", ids.length);
            ArrayNode a = o.putArray("ids");
            for (int id : ids) {
                a.add(id);
            }
            out.println(mapper.writeValueAsString(o));
        } else {
            for (int id : ids) {
                out.println(id);
            }
        }
        return 0;
    }
}
