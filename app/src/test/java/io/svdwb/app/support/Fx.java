package io.svdwb.app.support;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.testfx.util.WaitForAsyncUtils;

/** Reading and changing FX state from a test thread, and waiting for background work, with one time limit. */
public final class Fx {

    /** Generous: a small sweep with a first calibration takes about 20 s on two busy cores. */
    public static final long TIMEOUT_S = 120;

    private Fx() {
    }

    public static <T> T onFx(Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    public static void runFx(Runnable change) throws Exception {
        WaitForAsyncUtils.asyncFx(change).get(TIMEOUT_S, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Waits until {@code condition}, evaluated on the FX thread, holds. */
    public static void waitUntil(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(TIMEOUT_S, TimeUnit.SECONDS, () -> onFx(condition));
        WaitForAsyncUtils.waitForFxEvents();
    }
}
