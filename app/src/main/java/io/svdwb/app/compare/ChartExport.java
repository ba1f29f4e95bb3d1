package io.svdwb.app.compare;

import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;

/**
 * Writes a chart as PNG (rendered by JFreeChart itself) or SVG (the same drawing calls into SVGGraphics2D), at a
 * fixed size so that exports do not depend on the window. Each file is written beside its target and renamed, so
 * a failed export never leaves half a file.
 */
public final class ChartExport {

    public static final int WIDTH = 1200;
    public static final int HEIGHT = 800;

    private ChartExport() {
    }

    public static void png(JFreeChart chart, Path target) throws IOException {
        Path temp = temporarySibling(target);
        try {
            ChartUtils.saveChartAsPNG(temp.toFile(), chart, WIDTH, HEIGHT);
            moveIntoPlace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public static void svg(JFreeChart chart, Path target) throws IOException {
        SVGGraphics2D graphics = new SVGGraphics2D(WIDTH, HEIGHT);
        chart.draw(graphics, new Rectangle(0, 0, WIDTH, HEIGHT));
        Path temp = temporarySibling(target);
        try {
            SVGUtils.writeToSVG(temp.toFile(), graphics.getSVGElement());
            moveIntoPlace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Path temporarySibling(Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        return Files.createTempFile(parent, "." + target.getFileName(), ".tmp");
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
