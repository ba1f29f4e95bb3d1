package io.svdwb.app.view;

import java.awt.Color;
import java.awt.Font;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * A bar pair per matrix, layer by layer: a method's rank (first row of {@code ranks}) beside the uniform k(c) (second
 * row, blue). Shared by SoCo's rank chart and the chosen-ranks tab, so both read the same way.
 */
public final class RankBarChart {

    /** The uniform k(c)'s bars. */
    public static final Color UNIFORM = new Color(0x1f, 0x77, 0xb4, 0x90);

    private RankBarChart() {
    }

    public static ChartViewer create(DefaultCategoryDataset ranks, Color method, String id) {
        CategoryAxis matrices = new CategoryAxis(null);
        matrices.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
        matrices.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        matrices.setCategoryMargin(0.15);
        NumberAxis rank = new NumberAxis("rank");
        rank.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        BarRenderer bars = new BarRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setItemMargin(0.02);
        bars.setSeriesPaint(0, method);
        bars.setSeriesPaint(1, UNIFORM);
        CategoryPlot plot = new CategoryPlot(ranks, matrices, rank, bars);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        JFreeChart chart = new JFreeChart(null, new Font(Font.SANS_SERIF, Font.BOLD, 12), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartViewer viewer = new ChartViewer(chart);
        viewer.setId(id);
        // small enough that the tab fits under the spectrum at 1024 x 700
        viewer.setMinSize(200, 80);
        return viewer;
    }
}
