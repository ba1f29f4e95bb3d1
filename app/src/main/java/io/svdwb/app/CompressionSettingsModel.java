package io.svdwb.app;

import io.svdwb.app.soco.SocoModel;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.compress.method.MethodOptions;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
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
    private final DoubleProperty asvdAlpha = new SimpleDoubleProperty(this, "asvdAlpha", MethodOptions.DEFAULTS.asvdAlpha());
    private final BooleanProperty asvdRankSearch = new SimpleBooleanProperty(this, "asvdRankSearch", MethodOptions.DEFAULTS.asvdRankSearch());
    private final DoubleProperty ressvdBeta = new SimpleDoubleProperty(this, "ressvdBeta", MethodOptions.DEFAULTS.ressvdBeta());
    private final IntegerProperty ressvdLayers = new SimpleIntegerProperty(this, "ressvdLayers", MethodOptions.DEFAULTS.ressvdLayers());
    private final BooleanProperty duoColumnPreserving = new SimpleBooleanProperty(this, "duoColumnPreserving",
            MethodOptions.DEFAULTS.duoColumnPreserving());
    private final ObjectProperty<SocoSettings> socoSettings = new SimpleObjectProperty<>(this, "socoSettings", SocoModel.WORKBENCH_DEFAULT);
    private final ObjectProperty<Selection> selection = new SimpleObjectProperty<>(this, "selection");
    private final IntegerProperty lastLayersCount = new SimpleIntegerProperty(this, "lastLayersCount", 2);
    private final ObjectBinding<CompressionSetting> setting;

    CompressionSettingsModel() {
        setting = Bindings.createObjectBinding(this::currentSetting, method, ratio, selection, asvdAlpha, asvdRankSearch, ressvdBeta,
                ressvdLayers, duoColumnPreserving, socoSettings);
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

    public DoubleProperty asvdAlphaProperty() {
        return asvdAlpha;
    }

    public BooleanProperty asvdRankSearchProperty() {
        return asvdRankSearch;
    }

    public DoubleProperty ressvdBetaProperty() {
        return ressvdBeta;
    }

    /** ResSVD: compress only the last k layers; 0 lets the method choose k. */
    public IntegerProperty ressvdLayersProperty() {
        return ressvdLayers;
    }

    public BooleanProperty duoColumnPreservingProperty() {
        return duoColumnPreserving;
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
     * The searches (ASVD ranks, ResSVD k, Duo-SVD KL allocation) probe 4 windows of 128 tokens in the workbench
     * [OURS], not the papers' 32 x 2048 of the command line's default: a slider has to answer in seconds. Sweeps
     * for reporting run from the command line with the full probe.
     */
    public static final MethodOptions INTERACTIVE = MethodOptions.DEFAULTS.withProbe(4, 128, MethodOptions.DEFAULTS.probeSeed());

    public CompressionSetting getSetting() {
        return setting.get();
    }

    /**
     * Puts {@code chosen} (a restored session's) into the controls: method, ratio, selection and the chosen method's
     * knobs. Other methods' knobs keep their values, as they are not part of a setting.
     */
    public void show(CompressionSetting chosen) {
        MethodOptions options = chosen.options();
        switch (chosen.method()) {
            case ASVD -> {
                asvdAlpha.set(options.asvdAlpha());
                asvdRankSearch.set(options.asvdRankSearch());
            }
            case RESSVD -> {
                ressvdBeta.set(options.ressvdBeta());
                ressvdLayers.set(options.ressvdLayers());
            }
            case DUO_SVD -> duoColumnPreserving.set(options.duoColumnPreserving());
            case SOCO -> socoSettings.set(options.soco());
            default -> { }
        }
        selection.set(chosen.selection());
        setRatio(chosen.ratio());
        method.set(chosen.method());
    }

    private CompressionSetting currentSetting() {
        if (selection.get() == null) {
            return null;
        }
        MethodOptions defaults = INTERACTIVE;
        MethodOptions options = switch (method.get()) {
            case ASVD -> defaults.withAsvd(asvdAlpha.get(), asvdRankSearch.get());
            case RESSVD -> defaults.withResSvd(ressvdBeta.get(), defaults.ressvdMetric(), ressvdLayers.get(), defaults.ressvdMaxLayerRatio());
            case DUO_SVD -> defaults.withDuo(defaults.duoAllocation(), duoColumnPreserving.get());
            case SOCO -> defaults.withSoco(socoSettings.get());
            default -> defaults;
        };
        return new CompressionSetting(method.get(), ratio.get(), selection.get(), options);
    }
}
