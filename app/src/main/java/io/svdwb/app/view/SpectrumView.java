package io.svdwb.app.view;

import io.svdwb.app.FileDialogs;
import io.svdwb.app.LayerSpectra;
import io.svdwb.app.ShownRanks;
import io.svdwb.app.WorkbenchModel;
import io.svdwb.app.soco.SocoOverlay;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.workbench.MatrixSpectrum;
import java.util.Locale;
import java.util.OptionalInt;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The selected matrix's spectrum, its cut at the current ratio, and what the cut keeps and loses (the engine's
 * {@link MatrixSpectrum.Cut}). The marker and the text follow the ratio slider in the same frame.
 */
final class SpectrumView {

    private final WorkbenchModel model;
    private final SpectrumChart chart;
    private final Label heading = new Label();
    private final Label rawCut = new Label();
    private final Label whitenedCut = new Label();
    private final VBox box;
    private MatrixSpectrum shown;

    SpectrumView(WorkbenchModel model, FileDialogs dialogs) {
        this.model = model;
        this.chart = new SpectrumChart(SpectrumChart.Size.FULL, "spectrumChart", dialogs);
        heading.setId("spectrumHeading");
        heading.setStyle("-fx-font-weight: bold;");
        rawCut.setId("rawCutLabel");
        whitenedCut.setId("whitenedCutLabel");
        rawCut.setStyle("-fx-text-fill: #1f77b4;");
        whitenedCut.setStyle("-fx-text-fill: #b35600;");
        VBox.setVgrow(chart.node(), Priority.ALWAYS);
        // SoCo's learned scores, when there are any for the shown matrix: on their own axis, with a line of text.
        SocoOverlay soco = new SocoOverlay(chart.jfreeChart(), model);
        // Behind layout barriers: these lines change with every slider move, and must not lay out the window (and the chart) again.
        box = new VBox(4, LayoutBarrier.filling(heading), chart.node(), LayoutBarrier.filling(rawCut), LayoutBarrier.filling(whitenedCut),
                soco.summary());
        box.setPadding(new Insets(6, 8, 6, 8));
        box.setId("spectrumView");

        model.selectedMatrixProperty().addListener((observable, before, now) -> refresh());
        model.results().layerSpectraProperty().addListener((observable, before, now) -> refresh());
        model.shownRanksProperty().addListener((observable, before, now) -> showCut());
        refresh();
    }

    Region node() {
        return box;
    }

    /** Says whose rank the cut is. */
    private String cutSource(ShownRanks ranks) {
        if (ranks.fromExport()) {
            return "the export's stored rank";
        }
        if (ranks.fromEstimate()) {
            return model.compression().getMethod().cliName() + "'s rank at c = " + String.format(Locale.ROOT, "%.3f", model.compression().getRatio());
        }
        return String.format(Locale.ROOT, "uniform k(c) at c = %.3f", model.compression().getRatio());
    }

    /** Re-plots when the matrix or its spectra change; otherwise only the cut moves. */
    private void refresh() {
        MatrixSpec matrix = model.getSelectedMatrix();
        LayerSpectra spectra = model.results().getLayerSpectra();
        MatrixSpectrum spectrum = matrix == null || spectra == null ? null : spectra.of(matrix).orElse(null);
        if (spectrum != shown) {
            shown = spectrum;
            chart.show(spectrum);
        }
        showCut();
    }

    private void showCut() {
        MatrixSpec matrix = model.getSelectedMatrix();
        ShownRanks ranks = model.getShownRanks();
        if (matrix == null || ranks == null) {
            heading.setText("No matrix chosen");
            rawCut.setText("");
            whitenedCut.setText("");
            return;
        }
        // The cut the tree shows: the method's own rank once its estimate is in, an export's stored rank, else k(c).
        OptionalInt cutAt = ranks.cut(matrix);
        int full = Math.min(matrix.rows(), matrix.cols());
        if (cutAt.isEmpty()) {
            chart.keepAll(full);
            heading.setText(String.format(Locale.ROOT, "%s  %s  ·  %s (all %d components)", matrix.label(),
                    Formats.shape(matrix.rows(), matrix.cols()), ranks.fromExport() ? "stored dense" : "not selected: stays dense", full));
            rawCut.setText(ranks.fromExport() ? "" : "Check the matrix in the layer tree to compress it");
            whitenedCut.setText("");
            return;
        }
        int k = cutAt.getAsInt();
        chart.cutAt(k);
        heading.setText(String.format(Locale.ROOT, "%s  %s  ·  cut k = %d of %d  ·  %s", matrix.label(),
                Formats.shape(matrix.rows(), matrix.cols()), k, full, cutSource(ranks)));
        if (shown == null) {
            rawCut.setText("Computing the spectrum …");
            whitenedCut.setText("");
            return;
        }
        MatrixSpectrum.Cut cut = shown.cut(k);
        rawCut.setText(String.format(Locale.ROOT, "W: keeps %.1f %% of σ²  ·  truncation loss ‖W − W_k‖_F = %.4g (%.1f %% of ‖W‖_F)",
                100 * cut.rawRetainedEnergy(), cut.rawLoss(), 100 * cut.rawRelativeLoss()));
        whitenedCut.setText(shown.hasWhitened()
                ? String.format(Locale.ROOT, "W·S (SVD-LLM): keeps %.1f %% of σ²  ·  output loss ‖WX − W_kX‖_F = %.4g (%.1f %% of ‖WX‖_F)",
                        100 * cut.whitenedRetainedEnergy(), cut.whitenedLoss(), 100 * cut.whitenedRelativeLoss())
                : "W·S (SVD-LLM): shown once calibration statistics exist (choose a calibrating method, or Calibrate now)");
    }
}
