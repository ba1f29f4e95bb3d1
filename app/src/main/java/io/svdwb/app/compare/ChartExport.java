package io.svdwb.app.compare;

import io.svdwb.app.AtomicFiles;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;

/**
 * Writes a chart as PNG (rendered by JFreeChart itself) or SVG (the same drawing calls into SVGGraphics2D), at a
 * fixed size so that exports do not depend on the window; written atomically ({@link AtomicFiles}).
 */
public final class ChartExport {

    public static final int WIDTH = 1200;
    public static final int HEIGHT = 800;

    private ChartExport() {
    }

    public static void png(JFreeChart chart, Path target) throws IOException {
        AtomicFiles.write(target, file -> ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT));
    }

    public static void svg(JFreeChart chart, Path target) throws IOException {
        SVGGraphics2D graphics = new SVGGraphics2D(WIDTH, HEIGHT);
        chart.draw(graphics, new Rectangle(0, 0, WIDTH, HEIGHT));
        AtomicFiles.write(target, file -> SVGUtils.writeToSVG(file.toFile(), graphics.getSVGElement()));
    }
}
