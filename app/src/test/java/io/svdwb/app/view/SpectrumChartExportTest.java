package io.svdwb.app.view;

import static io.svdwb.app.support.Fx.onFx;
import static io.svdwb.app.support.Fx.runFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.app.FileDialogs;
import io.svdwb.app.compare.ChartExport;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.workbench.MatrixSpectrum;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Scene;
import javafx.scene.control.MenuItem;
import javafx.stage.Stage;
import javafx.stage.Window;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.Range;
import org.jfree.svg.SVGGraphics2D;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The spectrum chart's cut marker is a JavaFX line over the chart on screen; its PNG and SVG exports (the chart's
 * context menu) must still show it, at x = k on the exported plot's own component axis.
 */
@ExtendWith(ApplicationExtension.class)
class SpectrumChartExportTest {

    private static final MatrixSpec Q = new MatrixSpec(0, ProjectionKind.Q, "model.layers.0.self_attn.q_proj.weight", 64, 64);
    private static final int K = 20;
    private static final String CUT_RGB = "rgb(214,39,40)";

    @TempDir
    Path folder;

    private final AtomicReference<Path> nextSaveFile = new AtomicReference<>();
    private SpectrumChart chart;

    @Start
    void start(Stage stage) {
        chart = new SpectrumChart(SpectrumChart.Size.FULL, "spectrumChart", new FileDialogs() {
            @Override
            public Optional<Path> save(Window owner, String title, String extension, String suggestedName) {
                return Optional.ofNullable(nextSaveFile.getAndSet(null));
            }

            @Override
            public Optional<Path> open(Window owner, String title, String extension) {
                return Optional.empty();
            }

            @Override
            public Optional<Path> folder(Window owner, String title) {
                return Optional.empty();
            }
        });
        double[] sigma = new double[64];
        for (int i = 0; i < sigma.length; i++) {
            sigma[i] = Math.pow(0.9, i);
        }
        chart.show(new MatrixSpectrum(Q, sigma, null));
        chart.cutAt(K);
        stage.setScene(new Scene(chart.node(), 800, 500));
        stage.show();
    }

    @Test
    void theSvgExportDrawsTheCutMarkerAtXEqualsKOnTheExportedAxis() throws Exception {
        Path svg = folder.resolve("spectrum.svg");
        nextSaveFile.set(svg);
        runFx(() -> exportItem("svg").fire());

        ChartViewer viewer = onFx(() -> (ChartViewer) chart.node().lookup("#spectrumChart"));
        JFreeChart jfree = viewer.getChart();
        // Where x = K falls in an SVG drawing of this size: the plot's data area (which the SVG's own font metrics place)
        // and component range, from a drawing of our own without the marker (it moves neither), mapped linearly as the
        // component axis is.
        double expectedX = onFx(() -> {
            ChartRenderingInfo info = new ChartRenderingInfo();
            jfree.draw(new SVGGraphics2D(ChartExport.WIDTH, ChartExport.HEIGHT),
                    new Rectangle2D.Double(0, 0, ChartExport.WIDTH, ChartExport.HEIGHT), info);
            Rectangle2D area = info.getPlotInfo().getDataArea();
            Range range = jfree.getXYPlot().getDomainAxis().getRange();
            return area.getMinX() + (K - range.getLowerBound()) / range.getLength() * area.getWidth();
        });

        DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
        xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document document = xml.newDocumentBuilder().parse(svg.toFile());
        List<Element> cutLines = new ArrayList<>();
        NodeList lines = document.getElementsByTagName("line");
        for (int i = 0; i < lines.getLength(); i++) {
            Element line = (Element) lines.item(i);
            if (line.getAttribute("style").replace(" ", "").contains("stroke:" + CUT_RGB)) {
                cutLines.add(line);
            }
        }
        assertThat(cutLines).as("red vertical lines in the SVG").hasSize(1);
        Element cut = cutLines.get(0);
        assertThat(Double.parseDouble(cut.getAttribute("x1"))).isCloseTo(expectedX, within(1e-3));
        assertThat(Double.parseDouble(cut.getAttribute("x2"))).isCloseTo(expectedX, within(1e-3));
        assertThat(document.getDocumentElement().getTextContent()).contains("k = " + K);
        // Only the export had the marker: the chart on screen keeps its overlay line and no JFreeChart marker.
        assertThat(onFx(() -> jfree.getXYPlot().getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND))).isNullOrEmpty();
    }

    @Test
    void thePngExportHasTheCutMarkersColourAtXEqualsK() throws Exception {
        Path png = folder.resolve("spectrum.png");
        nextSaveFile.set(png);
        runFx(() -> exportItem("png").fire());
        ChartViewer viewer = onFx(() -> (ChartViewer) chart.node().lookup("#spectrumChart"));
        JFreeChart jfree = viewer.getChart();
        double[] at = onFx(() -> {
            ChartRenderingInfo info = new ChartRenderingInfo();
            BufferedImage image = new BufferedImage(ChartExport.WIDTH, ChartExport.HEIGHT, BufferedImage.TYPE_INT_RGB);
            jfree.draw(image.createGraphics(), new Rectangle2D.Double(0, 0, ChartExport.WIDTH, ChartExport.HEIGHT), info);
            Rectangle2D area = info.getPlotInfo().getDataArea();
            Range range = jfree.getXYPlot().getDomainAxis().getRange();
            return new double[] {area.getMinX() + (K - range.getLowerBound()) / range.getLength() * area.getWidth(), area.getCenterY()};
        });
        BufferedImage image = ImageIO.read(png.toFile());
        // The 2 px line covers the pixel under x whatever its fraction; no curve is red.
        int rgb = image.getRGB((int) Math.floor(at[0]), (int) at[1]) & 0xffffff;
        assertThat(rgb).as("pixel under x = k: #%06x", rgb).isEqualTo(SpectrumChart.CUT.getRGB() & 0xffffff);
    }

    private MenuItem exportItem(String format) {
        ChartViewer viewer = (ChartViewer) chart.node().lookup("#spectrumChart");
        return viewer.getContextMenu().getItems().stream().filter(item -> ("spectrumChartExport-" + format).equals(item.getId()))
                .findFirst().orElseThrow();
    }
}
