package io.svdwb.app;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;

/**
 * A factored export (written by {@code svdwb compress --format factored} or the export dialog) opens for looking: its
 * stored ranks, the spectra of its A·B products and SoCo's scores if it has them. Its modules are already factors, so the
 * compression controls, the estimate and the full evaluation are off, and the views say why.
 */
public final class OpenedForLooking {

    /** Why the compression controls are off, in the words the views show. */
    public static final String REASON = "A factored export: its ranks are stored (see the tree); it is opened for looking, not "
            + "compressed again. Open the original model to try other settings, or evaluate it with svdwb eval.";

    private OpenedForLooking() {
    }

    /** True while the opened model is a factored export. */
    public static BooleanBinding of(WorkbenchModel model) {
        return Bindings.createBooleanBinding(() -> {
            OpenedModel opened = model.getOpenedModel();
            return opened != null && opened.isFactoredExport();
        }, model.openedModelProperty());
    }

    /** Whether {@code model} shows a factored export now. */
    public static boolean now(WorkbenchModel model) {
        OpenedModel opened = model.getOpenedModel();
        return opened != null && opened.isFactoredExport();
    }
}
