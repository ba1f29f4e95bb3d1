package io.svdwb.engine.export;

/**
 * What the user asked for and how the factors were obtained: the part of a {@link Manifest} that the
 * exporter cannot derive from the replacements themselves.
 *
 * @param calibrationData    the calibration text file (or data set name), null for data-free methods
 * @param calibrationSamples N, the number of calibration windows (0 when unused)
 * @param sequenceLength     L, tokens per calibration window (0 when unused)
 * @param evaluationProtocol how the reported perplexity was measured ({@code EvaluationProtocol.describe()}, e.g. "wiki.test.raw,
 *                           first 4,096 tokens, ctx 256"), or "not evaluated"
 * @param methodSettings     every option of the method with its value, in the words the command line takes
 */
public record CompressionRun(String method, double targetRatio, String calibrationData, int calibrationSamples,
                             int sequenceLength, long seed, String toolVersion, String evaluationProtocol,
                             java.util.Map<String, String> methodSettings) {

    public CompressionRun {
        methodSettings = methodSettings == null ? java.util.Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(methodSettings));
    }
}
