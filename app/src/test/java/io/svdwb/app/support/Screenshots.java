package io.svdwb.app.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javafx.stage.Window;
import javax.imageio.ImageIO;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The README's screenshots (scripts/screenshots.sh, {@code -Dsvdwb.screenshots=DIR}): a window's scene written as a PNG,
 * at its default size and at the small size the workbench must still work at.
 */
public final class Screenshots {

    /** The small window every view must be usable at. */
    public static final double SMALL_WIDTH = 1024;
    public static final double SMALL_HEIGHT = 700;
    /** The suffix of the small-window screenshots: main-view.png and main-view-1024x700.png. */
    public static final String SMALL_SUFFIX = "-1024x700";

    private Screenshots() {
    }

    /** Writes {@code scene} to DIR/{@code name}.png. */
    public static void save(Scene scene, String name) throws Exception {
        Path dir = Path.of(System.getProperty("svdwb.screenshots"));
        Files.createDirectories(dir);
        WritableImage image = WaitForAsyncUtils.asyncFx(() -> scene.snapshot(null)).get(60, TimeUnit.SECONDS);
        ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", dir.resolve(name + ".png").toFile());
    }

    /** Writes {@code window}'s scene as {@code name}.png, then again at 1024 x 700 as {@code name}-1024x700.png, and restores its size. */
    public static void saveAtBothSizes(Window window, String name) throws Exception {
        save(window.getScene(), name);
        double[] size = WaitForAsyncUtils.asyncFx(() -> new double[] {window.getWidth(), window.getHeight()}).get(60, TimeUnit.SECONDS);
        resize(window, SMALL_WIDTH, SMALL_HEIGHT);
        save(window.getScene(), name + SMALL_SUFFIX);
        resize(window, size[0], size[1]);
    }

    /** Resizes {@code window} and waits for the charts to be redrawn at the new size. */
    public static void resize(Window window, double width, double height) throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            window.setWidth(width);
            window.setHeight(height);
            if (window instanceof Stage stage) {
                stage.centerOnScreen();
            }
        }).get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        Thread.sleep(700);
        WaitForAsyncUtils.waitForFxEvents();
    }
}
