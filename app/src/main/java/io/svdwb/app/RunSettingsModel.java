package io.svdwb.app;

import io.svdwb.engine.calibration.CalibrationSettings;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.model.ModelConfig;
import java.nio.file.Path;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableValue;

/**
 * How calibration and perplexity estimates are run: the settings area's values. Part of {@link WorkbenchModel}.
 * The defaults are small enough for the demo model to calibrate in seconds; big models want more samples.
 */
public final class RunSettingsModel {

    public static final int DEFAULT_CALIBRATION_SAMPLES = 16;
    public static final int DEFAULT_CALIBRATION_LENGTH = 128;
    public static final int DEFAULT_ESTIMATE_TOKENS = 2048;
    /**
     * The window setting that means "the model's default", {@link EvaluationProtocol#defaultContext}: the same
     * window as the CLI's eval, so the workbench and the command line report the same number for one model.
     */
    public static final int MODEL_DEFAULT_CONTEXT = EvaluationProtocol.MODEL_DEFAULT;
    public static final int DEFAULT_CONTEXT = MODEL_DEFAULT_CONTEXT;
    public static final int DEFAULT_DEBOUNCE_MILLIS = 150;

    private final IntegerProperty calibrationSamples = new SimpleIntegerProperty(this, "calibrationSamples", DEFAULT_CALIBRATION_SAMPLES);
    private final IntegerProperty calibrationLength = new SimpleIntegerProperty(this, "calibrationLength", DEFAULT_CALIBRATION_LENGTH);
    private final IntegerProperty estimateTokens = new SimpleIntegerProperty(this, "estimateTokens", DEFAULT_ESTIMATE_TOKENS);
    private final IntegerProperty evaluationContext = new SimpleIntegerProperty(this, "evaluationContext", DEFAULT_CONTEXT);
    private final IntegerProperty debounceMillis = new SimpleIntegerProperty(this, "debounceMillis", DEFAULT_DEBOUNCE_MILLIS);
    private final ObjectProperty<Path> evaluationText = new SimpleObjectProperty<>(this, "evaluationText");
    private final javafx.beans.property.StringProperty device = new javafx.beans.property.SimpleStringProperty(this, "device", "cpu");
    // Not in the settings area; a restored session sets them (the CLI's --seed and calibration batch).
    private final LongProperty calibrationSeed = new SimpleLongProperty(this, "calibrationSeed", CalibrationSettings.DEFAULT_SEED);
    private final IntegerProperty calibrationBatch = new SimpleIntegerProperty(this, "calibrationBatch",
            CalibrationSettings.DEFAULT_WINDOWS_PER_BATCH);
    private final ObjectBinding<CalibrationSettings> calibrationSettings = Bindings.createObjectBinding(
            () -> new CalibrationSettings(calibrationSamples.get(), calibrationLength.get(), calibrationSeed.get(), calibrationBatch.get()),
            calibrationSamples, calibrationLength, calibrationSeed, calibrationBatch);

    RunSettingsModel() {
    }

    /** Calibration windows N. */
    public IntegerProperty calibrationSamplesProperty() {
        return calibrationSamples;
    }

    /** Tokens per calibration window L. */
    public IntegerProperty calibrationLengthProperty() {
        return calibrationLength;
    }

    /** Tokens of the evaluation text a quick estimate uses (the first ones, BOS included). */
    public IntegerProperty estimateTokensProperty() {
        return estimateTokens;
    }

    /** The perplexity window (ctx) of estimates and full evaluations; {@value #MODEL_DEFAULT_CONTEXT} = the model's default. */
    public IntegerProperty evaluationContextProperty() {
        return evaluationContext;
    }

    /** Where the engine's linear algebra runs: cpu or cuda:N ({@link io.svdwb.engine.linalg.Devices}). */
    public javafx.beans.property.StringProperty deviceProperty() {
        return device;
    }

    public String getDevice() {
        return device.get();
    }

    /** How long a slider must rest before an estimate starts. */
    public IntegerProperty debounceMillisProperty() {
        return debounceMillis;
    }

    /** The evaluation text (the embedded WikiText-2 test split by default); null when none was found. */
    public ObjectProperty<Path> evaluationTextProperty() {
        return evaluationText;
    }

    /** Sets every calibration setting at once (a restored session's). */
    public void setCalibrationSettings(CalibrationSettings settings) {
        calibrationSamples.set(settings.samples());
        calibrationLength.set(settings.windowLength());
        calibrationSeed.set(settings.seed());
        calibrationBatch.set(settings.windowsPerBatch());
    }

    public ObservableValue<CalibrationSettings> calibrationSettingsProperty() {
        return calibrationSettings;
    }

    public CalibrationSettings getCalibrationSettings() {
        return calibrationSettings.get();
    }

    /** The window used for a model of {@code config}: the one set, or the model's default. */
    public int contextFor(ModelConfig config) {
        int ctx = evaluationContext.get();
        return ctx == MODEL_DEFAULT_CONTEXT ? EvaluationProtocol.defaultContext(config) : ctx;
    }

    /**
     * The quick estimate's protocol for a model of {@code config}; throws IllegalArgumentException (with the reason)
     * for an impossible one.
     */
    public EvaluationProtocol estimateProtocol(ModelConfig config) {
        Path text = evaluationText.get();
        if (text == null) {
            throw new IllegalArgumentException("no evaluation text: the embedded WikiText-2 test split was not found");
        }
        return EvaluationProtocol.of(text, contextFor(config), estimateTokens.get());
    }
}
