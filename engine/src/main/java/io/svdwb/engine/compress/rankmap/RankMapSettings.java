package io.svdwb.engine.compress.rankmap;

import java.util.Objects;

/**
 * How a rank-map file is read and applied.
 *
 * @param format             the file's format; null = detect it from the content
 * @param missing            what selected matrices the map does not name become (default DENSE [OURS])
 * @param dobiSequenceLength Dobi-SVD's training sequence length, which scales k into a rank; 0 = read it from
 *                           {@code para_config.json} beside the file, else Dobi-SVD's default 2048
 */
public record RankMapSettings(RankMapFormat format, MissingModules missing, int dobiSequenceLength) {

    public static final RankMapSettings DEFAULTS = new RankMapSettings(null, MissingModules.DENSE, 0);

    public RankMapSettings {
        Objects.requireNonNull(missing, "missing");
        if (dobiSequenceLength < 0) {
            throw new IllegalArgumentException("Dobi-SVD sequence length must be >= 1 (0 = from para_config.json or 2048), got "
                    + dobiSequenceLength);
        }
    }

    public RankMapSettings withFormat(RankMapFormat f) {
        return new RankMapSettings(f, missing, dobiSequenceLength);
    }

    public RankMapSettings withMissing(MissingModules m) {
        return new RankMapSettings(format, m, dobiSequenceLength);
    }

    public RankMapSettings withDobiSequenceLength(int length) {
        return new RankMapSettings(format, missing, length);
    }
}
