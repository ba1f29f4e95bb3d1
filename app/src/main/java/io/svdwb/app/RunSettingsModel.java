package io.svdwb.app;

import io.svdwb.engine.calibration.CalibrationSettings;
import io.svdwb.engine.workbench.EvaluationProtocol;
import java.nio.file.Path;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.property.IntegerProperty;
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
    public static final int DEFAULT_CONTEXT = 256;
    public static final int DEFAULT_DEBOUNCE_MILLIS = 150;

    private final IntegerProperty calibrationSamples = new SimpleIntegerProperty(this, "calibrationSamples", DEFAULT_CALIBRATION_SAMPLES);
    private final IntegerProperty calibrationLength = new SimpleIntegerProperty(this, "calibrationLength", DEFAULT_CALIBRATION_LENGTH);
    private final IntegerProperty estimateTokens = new SimpleIntegerProperty(this, "estimateTokens", DEFAULT_ESTIMATE_TOKENS);
    private final IntegerProperty evaluationContext = new SimpleIntegerProperty(this, "evaluationContext", DEFAULT_CONTEXT);
    private final IntegerProperty debounceMillis = new SimpleIntegerProperty(this, "debounceMillis", DEFAULT_DEBOUNCE_MILLIS);
    private final ObjectProperty<Path> evaluationText = new SimpleObjectProperty<>(this, "evaluationText");
    private final ObjectBinding<CalibrationSettings> calibrationSettings = Bindings.createObjectBinding(
            () -> CalibrationSettings.defaults().withSamples(calibrationSamples.get()).withWindowLength(calibrationLength.get()),
            calibrationSamples, calibrationLength);

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

    /** The perplexity window (ctx) of estimates and full evaluations. */
    public IntegerProperty evaluationContextProperty() {
        return evaluationContext;
    }

    /** How long a slider must rest before an estimate starts. */
    public IntegerProperty debounceMillisProperty() {
        return debounceMillis;
    }

    /** The evaluation text (the embedded WikiText-2 test split by default); null when none was found. */
    public ObjectProperty<Path> evaluationTextProperty() {
        return evaluationText;
    }

    public ObservableValue<CalibrationSettings> calibrationSettingsProperty() {
        return calibrationSettings;
    }

    public CalibrationSettings getCalibrationSettings() {
        return calibrationSettings.get();
    }

    /** The quick estimate's protocol; throws IllegalArgumentException (with the reason) for an impossible one. */
    public EvaluationProtocol estimateProtocol() {
        Path text = evaluationText.get();
        if (text == null) {
            throw new IllegalArgumentException("no evaluation text: the embedded WikiText-2 test split was not found");
        }
        return EvaluationProtocol.of(text, evaluationContext.get(), estimateTokens.get());
    }
}
