package io.svdwb.engine;

/**
 * The name and version of the tool that wrote a file or a report: the command line's {@code --version} and every
 * manifest, whichever front end (command line or workbench) ran the engine.
 */
public final class ToolVersion {

    /** The tool's name, as its command is called. */
    public static final String NAME = "svdwb";

    private ToolVersion() {
    }

    /** E.g. "svdwb 0.1.0", or "svdwb development build" when not run from a packaged jar. */
    public static String current() {
        String version = ToolVersion.class.getPackage().getImplementationVersion();
        return NAME + " " + (version != null ? version : "development build");
    }
}
