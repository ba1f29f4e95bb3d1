package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * --verbose raises the engine's loggers from the shipped WARN to INFO, wherever it is given. The tests' own
 * logback-test.xml says INFO, so each test starts from WARN, the level logback.xml ships with.
 */
class LogLevelTest {

    private final Logger engineLogger = (Logger) LoggerFactory.getLogger(LogLevel.ENGINE_LOGGER);
    private Level configured;

    @BeforeEach
    void startFromTheShippedLevel() {
        configured = engineLogger.getLevel();
        engineLogger.setLevel(Level.WARN);
    }

    @AfterEach
    void restoreTheTestLevel() {
        engineLogger.setLevel(configured);
    }

    @Test
    void withoutVerboseTheEngineLogsOnlyWarnings() {
        assertThat(CliRunner.run("inspect", "--help").exitCode()).isZero();
        assertThat(LoggerFactory.getLogger("io.svdwb.engine.model.Anything").isInfoEnabled()).isFalse();
    }

    @Test
    void verboseAfterTheSubcommandRaisesTheEngineToInfo() {
        assertThat(CliRunner.run("inspect", "--verbose", "--help").exitCode()).isZero();
        assertThat(LoggerFactory.getLogger("io.svdwb.engine.model.Anything").isInfoEnabled()).isTrue();
    }

    @Test
    void verboseAfterANestedSubcommandCountsToo() {
        assertThat(CliRunner.run("bench", "svd", "--verbose", "--help").exitCode()).isZero();
        assertThat(LoggerFactory.getLogger("io.svdwb.engine.linalg.Anything").isInfoEnabled()).isTrue();
    }

    @Test
    void theShippedConfigurationSaysWarn() throws Exception {
        try (var in = LogLevel.class.getResourceAsStream("/logback.xml")) {
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("<logger name=\"io.svdwb\" level=\"${svdwb.log.level:-WARN}\"/>");
        }
    }
}
