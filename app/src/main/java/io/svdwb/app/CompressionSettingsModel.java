package io.svdwb.app;

import io.svdwb.app.soco.SocoModel;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.compress.method.MethodSettings;
import io.svdwb.engine.compress.method.SharedOptions;
import io.svdwb.engine.compress.method.SocoOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import io.svdwb.engine.soco.SocoSettings;
import javafx.beans.value.ObservableValue;

/**
 * The compression controls: method, global ratio, which matrices are compressed, and each method's own knobs.
 * Part of {@link WorkbenchModel}.
 */
public final class CompressionSettingsModel {

    public static final double MIN_RATIO = 0.05;
    public static final double MAX_RATIO = 0.95;
    /** Ratios are kept to this step, so that the three decimals every label shows are the exact value used. */
    public static final double RATIO_STEP = 0.001;
    public static final double DEFAULT_RATIO = 0.4;

    private final ObjectProperty<MethodId> method = new SimpleObjectProperty<>(this, "method", MethodId.SVD_LLM);
    private final ReadOnlyDoubleWrapper ratio = new ReadOnlyDoubleWrapper(this, "ratio", DEFAULT_RATIO);
    /** Each method's own settings, kept while another method is chosen. */
    private final Map<MethodId, ObjectProperty<MethodSettings>> methodSettings = new LinkedHashMap<>();
    /** How every method's factors are stored (docs/METHODS.md §2.6): the baseline dtype or int8, the ratio then in bits. */
    private final ObjectProperty<io.svdwb.engine.compress.quant.FactorStorage> factorStorage = new SimpleObjectProperty<>(this,
            "factorStorage", io.svdwb.engine.compress.quant.FactorStorage.BASELINE);
    private final ObjectProperty<SocoSettings> socoSettings = new SimpleObjectProperty<>(this, "socoSettings", SocoModel.WORKBENCH_DEFAULT);
    private final ObjectProperty<Selection> selection = new SimpleObjectProperty<>(this, "selection");
    private final IntegerProperty lastLayersCount = new SimpleIntegerProperty(this, "lastLayersCount", 2);
    private final ObjectBinding<CompressionSetting> setting;
    private final ObjectBinding<Map<MethodId, MethodSettings>> allSettings;

    CompressionSettingsModel() {
        for (MethodId id : MethodId.values()) {
            methodSettings.put(id, new SimpleObjectProperty<>(this, id.cliName(), interactive(id)));
        }
        java.util.List<Observable> dependencies = new java.util.ArrayList<>(methodSettings.values());
        dependencies.add(socoSettings);
        allSettings = Bindings.createObjectBinding(this::currentSettings, dependencies.toArray(Observable[]::new));
        dependencies.addAll(java.util.List.of(method, ratio, selection, factorStorage));
        setting = Bindings.createObjectBinding(this::currentSetting, dependencies.toArray(Observable[]::new));
    }

    public ObjectProperty<MethodId> methodProperty() {
        return method;
    }

    public MethodId getMethod() {
        return method.get();
    }

    /** The target compression ratio c (fraction of the compressible parameters removed). */
    public ReadOnlyDoubleProperty ratioProperty() {
        return ratio.getReadOnlyProperty();
    }

    public double getRatio() {
        return ratio.get();
    }

    /** Sets c, clamped to [{@value #MIN_RATIO}, {@value #MAX_RATIO}] and rounded to {@value #RATIO_STEP}. */
    public void setRatio(double value) {
        ratio.set(quantise(value));
    }

    static double quantise(double value) {
        double clamped = Math.max(MIN_RATIO, Math.min(MAX_RATIO, value));
        // Rounded on the integer grid of thousandths, so that the result is the closest double to k / 1000.
        return Math.round(clamped * 1000) / 1000.0;
    }

    /**
     * The decoder layers and projections compressed (the command line's --layers and --modules); the ratio applies
     * to them and the other matrices stay dense. Every matrix of a model when it is opened; null while none is.
     */
    public ObjectProperty<Selection> selectionProperty() {
        return selection;
    }

    public Selection getSelection() {
        return selection.get();
    }

    /** How many of the last layers the "last k layers" action selects. */
    public IntegerProperty lastLayersCountProperty() {
        return lastLayersCount;
    }

    /**
     * {@code method}'s own settings (never null). SoCo's training knobs are {@link #socoSettingsProperty()} instead, which
     * its panel edits; the setting merges them in.
     */
    public ObjectProperty<MethodSettings> settingsProperty(MethodId method) {
        return methodSettings.get(method);
    }

    /** Sets one option of {@code method}'s settings from its text form, as the command line takes it. */
    public void set(MethodId method, String option, String value) {
        ObjectProperty<MethodSettings> settings = methodSettings.get(method);
        settings.set(settings.get().with(option, value));
    }

    /** One option of {@code method}'s settings, as the command line writes it. */
    public String get(MethodId method, String option) {
        return methodSettings.get(method).get().text(option);
    }

    /** Every method's settings as a sweep of the compare view runs them: what the controls show for each. */
    public ObservableValue<Map<MethodId, MethodSettings>> allSettingsProperty() {
        return allSettings;
    }

    /** How every method's factors are stored (never null). */
    public ObjectProperty<io.svdwb.engine.compress.quant.FactorStorage> factorStorageProperty() {
        return factorStorage;
    }

    /** SoCo's training schedule, batch and seed (never null). */
    public ObjectProperty<SocoSettings> socoSettingsProperty() {
        return socoSettings;
    }

    /** The current setting, null while no model is open; changes only when something the chosen method uses changes. */
    public ObservableValue<CompressionSetting> settingProperty() {
        return setting;
    }

    /**
     * A method's defaults as the workbench starts it: the searches (ASVD ranks, ResSVD k, Duo-SVD KL allocation) probe
     * 4 windows of 128 tokens [OURS], not the papers' 32 x 2048 of the command line's default, since a slider has to
     * answer in seconds (sweeps for reporting run from the command line with the full probe), and SoCo trains with
     * {@link SocoModel#WORKBENCH_DEFAULT}.
     */
    public static MethodSettings interactive(MethodId method) {
        MethodSettings settings = SharedOptions.withProbe(method.defaults(), 4, 128);
        return method == MethodId.SOCO ? SocoOptions.with(settings, SocoModel.WORKBENCH_DEFAULT) : settings;
    }

    public CompressionSetting getSetting() {
        return setting.get();
    }

    /**
     * Puts {@code chosen} (a restored session's) into the controls: method, ratio, selection and the chosen method's
     * settings. Other methods' settings keep their values, as they are not part of a setting.
     */
    public void show(CompressionSetting chosen) {
        methodSettings.get(chosen.method()).set(chosen.settings());
        if (chosen.method() == MethodId.SOCO) {
            socoSettings.set(SocoOptions.settings(chosen.settings()));
        }
        selection.set(chosen.selection());
        factorStorage.set(chosen.factorStorage());
        setRatio(chosen.ratio());
        method.set(chosen.method());
    }

    private CompressionSetting currentSetting() {
        if (selection.get() == null) {
            return null;
        }
        return new CompressionSetting(method.get(), ratio.get(), selection.get(), currentSettings().get(method.get()),
                factorStorage.get());
    }

    private Map<MethodId, MethodSettings> currentSettings() {
        Map<MethodId, MethodSettings> out = new LinkedHashMap<>();
        methodSettings.forEach((id, settings) -> out.put(id, settings.get()));
        out.put(MethodId.SOCO, SocoOptions.with(out.get(MethodId.SOCO), socoSettings.get()));
        return java.util.Collections.unmodifiableMap(out);
    }
}
