package io.svdwb.engine.cli;

import io.svdwb.engine.compress.rankmap.MissingModules;
import io.svdwb.engine.compress.rankmap.RankMap;
import io.svdwb.engine.compress.rankmap.RankMapFormat;
import io.svdwb.engine.compress.rankmap.RankMapReader;
import io.svdwb.engine.compress.rankmap.RankMapSettings;
import io.svdwb.engine.model.MatrixSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** A peer's rank map as the starting allocation (docs/METHODS.md §2.7); shared by compress and sweep. */
final class RankMapOptions {

    @Option(names = "--rank-map", paramLabel = "FILE",
            description = "Take each matrix's rank from FILE instead of the method's choice: ASVD/svdwb config.json "
                    + "(truncation_ranks) or a factored export folder, Palu config.json (head_wise_ranks: the sum of the group "
                    + "ranks), Dobi-SVD k_dict_*.json / best_gamma.json (floor(min(m,n) ceil(k) / L)). Skips ASVD's rank search, "
                    + "Duo-SVD's allocation and ResSVD's layer search; refused for soco. Default: none.")
    Path file;

    @Option(names = "--rank-map-format", paramLabel = "auto|asvd|palu|dobi",
            description = "The --rank-map file's format; auto detects it from the content. Default: ${DEFAULT-VALUE}.")
    String format = "auto";

    @Option(names = "--rank-map-missing", paramLabel = "dense|method",
            description = "Selected matrices the map does not name: kept dense (as the peers' loaders do) or at the method's uniform "
                    + "rank k(rho) for --ratio [OURS]. Default: ${DEFAULT-VALUE}.")
    String missing = "dense";

    @Option(names = "--rank-map-seq-len", paramLabel = "L",
            description = "Dobi-SVD's training sequence length L; 0 = para_config.json beside the file, else 2048. Default: ${DEFAULT-VALUE}.")
    int dobiSequenceLength = 0;

    /** The settings alone, checked before any model is opened. */
    RankMapSettings settings() {
        return new RankMapSettings(RankMapFormat.parse(format), MissingModules.parse(missing), dobiSequenceLength);
    }

    /** The map read for the model's matrices; null without --rank-map. */
    RankMap read(List<MatrixSpec> matrices) throws IOException {
        return file == null ? null : RankMapReader.read(file, settings(), matrices);
    }
}
