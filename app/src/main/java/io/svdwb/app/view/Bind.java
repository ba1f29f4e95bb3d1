package io.svdwb.app.view;

import javafx.beans.property.Property;
import javafx.scene.Node;

/** Binding helpers for the views. */
final class Bind {

    private Bind() {
    }

    /**
     * Binds a control's property to a model property's object view ({@code IntegerProperty.asObject()} and the
     * like). A bidirectional binding holds both ends weakly, so the view, referenced by nobody else, would be
     * collected and the binding would silently stop; the control keeps it alive here, for as long as it exists.
     */
    static <T> void bidirectionally(Node owner, Property<T> control, Property<T> modelView) {
        owner.getProperties().put(Bind.class.getName() + "#" + control.getName(), modelView);
        control.bindBidirectional(modelView);
    }
}
