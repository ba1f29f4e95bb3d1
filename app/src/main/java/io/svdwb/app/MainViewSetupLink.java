package io.svdwb.app;

import io.svdwb.app.setup.CalibrationSetup;
import io.svdwb.app.setup.CompressionChoice;
import io.svdwb.app.setup.CurrentSetup;
import io.svdwb.app.setup.EvaluationSettings;
import io.svdwb.engine.compress.Selection;
import java.util.Objects;

/**
 * Keeps the tools' {@link CurrentSetup} (export, sessions, compare) equal to what the main view shows: its
 * method, ratio and options, its calibration run settings and its estimate protocol. A session that is opened
 * sets the setup, and the main view's method and ratio follow it. FX thread only.
 */
final class MainViewSetupLink {

    private final WorkbenchModel model;
    private final CurrentSetup current;
    private final EngineSettings engine;
    /** True while a chosen setup is copied into the main view: the main view's change events must not echo back. */
    private boolean pulling;
    /** A session restored the setup while its model opened: that open must not reset it to the main view's. */
    private boolean restoredOnOpen;

    private MainViewSetupLink(WorkbenchModel model, CurrentSetup current, EngineSettings engine) {
        this.model = model;
        this.current = current;
        this.engine = engine;
    }

    static MainViewSetupLink link(WorkbenchModel model, CurrentSetup current, EngineSettings engine) {
        MainViewSetupLink link = new MainViewSetupLink(model, current, engine);
        model.compression().settingProperty().addListener((o, before, now) -> link.settingChanged());
        model.openedModelProperty().addListener((o, before, now) -> link.modelOpened());
        model.runSettings().calibrationSettingsProperty().addListener((o, before, now) -> link.pushRunSettings());
        model.runSettings().estimateTokensProperty().addListener((o, before, now) -> link.pushRunSettings());
        model.runSettings().evaluationContextProperty().addListener((o, before, now) -> link.pushRunSettings());
        model.runSettings().evaluationTextProperty().addListener((o, before, now) -> link.pushRunSettings());
        current.compressionProperty().addListener((o, before, now) -> link.pullCompression(now));
        link.pushRunSettings();
        link.pushCompression();
        return link;
    }

    private void settingChanged() {
        if (!pulling) {
            restoredOnOpen = false;
            pushCompression();
        }
    }

    private void modelOpened() {
        if (restoredOnOpen) {
            restoredOnOpen = false;
            return;
        }
        pushCompression();
    }

    private void pushCompression() {
        OpenedModel opened = model.getOpenedModel();
        CompressionSetting s = model.compression().getSetting();
        if (opened == null || s == null) {
            return;
        }
        CompressionChoice before = current.compressionProperty().get();
        Selection selection = s.selection() != null ? s.selection() : Selection.all(opened.config());
        CompressionChoice now = new CompressionChoice(s.method(), s.ratio(), selection, s.options());
        if (!now.equals(before)) {
            current.compressionProperty().set(now);
        }
    }

    /** A session (or another tool) chose a setup: the main view shows its method and ratio. */
    private void pullCompression(CompressionChoice choice) {
        if (choice == null || pulling) {
            return;
        }
        pulling = true;
        try {
            CompressionSettingsModel main = model.compression();
            if (main.getMethod() != choice.method()) {
                main.methodProperty().set(choice.method());
            }
            if (Math.abs(main.getRatio() - choice.ratio()) > 1e-12) {
                main.setRatio(choice.ratio());
            }
            main.asvdAlphaProperty().set(choice.options().asvdAlpha());
            main.asvdRankSearchProperty().set(choice.options().asvdRankSearch());
            main.ressvdBetaProperty().set(choice.options().ressvdBeta());
            main.ressvdLayersProperty().set(choice.options().ressvdLayers());
            main.duoColumnPreservingProperty().set(choice.options().duoColumnPreserving());
            if (choice.method() == io.svdwb.engine.compress.method.MethodId.SOCO) {
                // Other methods' options carry the engine's SoCo defaults, not the workbench's: only SoCo's own count.
                main.socoSettingsProperty().set(choice.options().soco());
            }
            if (model.getOpenedModel() != null) {
                main.selectionProperty().set(choice.selection());
            }
        } finally {
            pulling = false;
        }
    }

    /** The model now opening had a session waiting for it: its setup, not the main view's, is the current one. */
    void sessionRestoredOnOpen() {
        restoredOnOpen = true;
    }

    private void pushRunSettings() {
        RunSettingsModel run = model.runSettings();
        current.calibrationProperty().set(new CalibrationSetup(engine.calibrationText(), run.getCalibrationSettings(),
                engine.calibrationCache().root()));
        int ctx = run.evaluationContextProperty().get();
        current.evaluationProperty().set(new EvaluationSettings(Objects.requireNonNullElse(run.evaluationTextProperty().get(),
                engine.evaluationText()), ctx, run.estimateTokensProperty().get(), Math.max(1, 2048 / Math.max(1, ctx)), null));
    }
}
