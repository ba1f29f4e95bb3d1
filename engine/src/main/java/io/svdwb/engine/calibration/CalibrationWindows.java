package io.svdwb.engine.calibration;

/**
 * The token windows calibration runs the model on, with where each came from.
 *
 * @param windows         [samples][length] token ids, BOS first when the model expects one
 * @param starts          for each window, the index in the tokenized text of its first text token
 * @param textTokens      how many tokens the whole text has
 */
public record CalibrationWindows(int[][] windows, int[] starts, int textTokens) {

    public int count() {
        return windows.length;
    }

    public int length() {
        return windows[0].length;
    }
}
