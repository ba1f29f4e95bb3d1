package io.svdwb.engine.compress.rankmap;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The peers' rank-map files the engine imports (docs/METHODS.md §2.7). Each is a JSON object keyed by Hugging Face
 * module names ({@code model.layers.0.self_attn.q_proj}); they differ in what a value means.
 */
public enum RankMapFormat {
    /**
     * ASVD ({@code hahnyuan/ASVD4LLM}, huggingface_repos/build_asvd_repo.py): {@code config.json} key {@code truncation_ranks},
     * {module: integer rank}; also what our factored export writes. A bare {module: integer} object is read the same way.
     */
    ASVD("asvd"),
    /**
     * Palu ({@code shadowpa0327/Palu}, utils.py dump_to_huggingface_repos): {@code config.json} key {@code head_wise_ranks},
     * {module: [rank of each head group]} for k_proj and v_proj, the rows split into equal consecutive groups.
     */
    PALU("palu"),
    /**
     * Dobi-SVD ({@code wangqinsi1/Dobi-SVD}, svd_trainer.py): {@code k_dict_NNNNN.json} / {@code best_gamma.json},
     * {module: float truncation position k} plus the run's {@code ppl}, {@code compression_ratio}, {@code lr}.
     */
    DOBI("dobi");

    private final String cliName;

    RankMapFormat(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** Case-insensitive lookup; {@code auto} (or null) gives null, meaning "detect from the content". */
    public static RankMapFormat parse(String name) {
        String wanted = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
        if (wanted.equals("auto")) {
            return null;
        }
        for (RankMapFormat f : values()) {
            if (f.cliName.equals(wanted)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown rank-map format '" + name + "'; choose auto, " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(RankMapFormat::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
