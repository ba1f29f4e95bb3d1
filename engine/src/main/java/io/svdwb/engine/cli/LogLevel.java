package io.svdwb.engine.cli;

import ch.qos.logback.classic.Level;
import org.slf4j.LoggerFactory;

/**
 * The engine's log level on the command line. logback.xml sets WARN, so that no INFO line lands in the middle of
 * a progress bar; {@code --verbose} raises it to INFO. The only class that knows the logging backend (SLF4J's
 * API has no way to set a level).
 */
final class LogLevel {

    static final String ENGINE_LOGGER = "io.svdwb";

    private LogLevel() {
    }

    /** Lets the engine's INFO messages through (what was read, cached, approximated). */
    static void verbose() {
        if (LoggerFactory.getLogger(ENGINE_LOGGER) instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(Level.INFO);
        }
    }
}
