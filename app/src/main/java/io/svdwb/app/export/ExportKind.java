package io.svdwb.app.export;

import io.svdwb.engine.export.ExportFormat;

/** What the export dialog writes: a full checkpoint in one of the engine's formats, or only the rank map. */
public enum ExportKind {
    DENSE(ExportFormat.DENSE, "Dense: the original architecture with W′ = A·B (loads in any Hugging Face tool)"),
    FACTORED(ExportFormat.FACTORED, "Factored: A and B per module (smaller; loads in this engine)"),
    RANK_MAP_ONLY(null, "Rank map only: rank_map.json and manifest.json, no weights");

    private final ExportFormat format;
    private final String description;

    ExportKind(ExportFormat format, String description) {
        this.format = format;
        this.description = description;
    }

    /** The engine's checkpoint format; null for the rank map alone. */
    public ExportFormat format() {
        return format;
    }

    public String description() {
        return description;
    }

    /** "dense", "factored" or "rank-map", for folder names. */
    public String id() {
        return format != null ? format.id() : "rank-map";
    }
}
