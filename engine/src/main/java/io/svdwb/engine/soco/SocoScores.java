package io.svdwb.engine.soco;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.safetensors.DType;
import io.svdwb.engine.safetensors.DoubleBytes;
import io.svdwb.engine.safetensors.SafetensorsFile;
import io.svdwb.engine.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The learned scores of a SoCo run, per compressed module (e.g. {@code model.layers.3.self_attn.q_proj}), as the
 * workbench shows them: the scores theta, the singular values sigma they scale (of the whitened matrix, §3.4), and
 * which components survived the hard prune. Stored beside an export as {@value #FILE_NAME}: per module the F64
 * tensors {@code MODULE.scores}, {@code MODULE.singular_values} and {@code MODULE.kept} (1 for a kept component,
 * else 0), all of length r_cap, and metadata {@code soco.target_ratio} and {@code soco.settings}.
 */
public record SocoScores(Map<String, ModuleScores> modules, double targetRatio, String settings) {

    public static final String FILE_NAME = "soco_scores.safetensors";
    public static final SocoScores NONE = new SocoScores(Map.of(), Double.NaN, "");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One module: theta, sigma and the kept component indices (ascending). */
    public record ModuleScores(double[] scores, double[] singularValues, int[] kept) {

        public ModuleScores {
            if (scores.length != singularValues.length) {
                throw new IllegalArgumentException(scores.length + " scores for " + singularValues.length + " singular values");
            }
            for (int i : kept) {
                if (i < 0 || i >= scores.length) {
                    throw new IllegalArgumentException("kept component " + i + " outside [0, " + scores.length + ")");
                }
            }
            scores = scores.clone();
            singularValues = singularValues.clone();
            kept = kept.clone();
        }

        /** The exported rank: how many components were kept. */
        public int rank() {
            return kept.length;
        }

        public boolean isKept(int component) {
            return java.util.Arrays.binarySearch(kept, component) >= 0;
        }
    }

    public SocoScores {
        modules = Collections.unmodifiableMap(new LinkedHashMap<>(modules));
    }

    public boolean isEmpty() {
        return modules.isEmpty();
    }

    /** Writes {@code file} (atomically, via the writer's temporary sibling). */
    public void write(Path file) throws IOException {
        Map<String, Integer> ranks = new TreeMap<>();
        SafetensorsWriter writer = SafetensorsWriter.to(file)
                .metadata("soco.target_ratio", Double.toString(targetRatio))
                .metadata("soco.settings", settings);
        for (Map.Entry<String, ModuleScores> e : modules.entrySet()) {
            ModuleScores m = e.getValue();
            double[] mask = new double[m.scores().length];
            for (int i : m.kept()) {
                mask[i] = 1;
            }
            long[] shape = {m.scores().length};
            writer.addRaw(e.getKey() + ".scores", DType.F64, shape, () -> DoubleBytes.encode(m.scores()));
            writer.addRaw(e.getKey() + ".singular_values", DType.F64, shape, () -> DoubleBytes.encode(m.singularValues()));
            writer.addRaw(e.getKey() + ".kept", DType.F64, shape, () -> DoubleBytes.encode(mask));
            ranks.put(e.getKey(), m.rank());
        }
        writer.metadata("soco.ranks", JSON.writeValueAsString(ranks));
        writer.write();
    }

    /** Reads a scores file; every module must have all three tensors of one length, with 0/1 kept flags. */
    public static SocoScores read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": SoCo scores file not found");
        }
        try (SafetensorsFile in = SafetensorsFile.open(file)) {
            Map<String, ModuleScores> modules = new LinkedHashMap<>();
            for (String name : in.names()) {
                if (!name.endsWith(".scores")) {
                    continue;
                }
                String module = name.substring(0, name.length() - ".scores".length());
                double[] theta = doubles(in, name);
                double[] sigma = doubles(in, module + ".singular_values");
                double[] mask = doubles(in, module + ".kept");
                if (sigma.length != theta.length || mask.length != theta.length) {
                    throw new IOException(file + ": " + module + " has " + theta.length + " scores, " + sigma.length
                            + " singular values and " + mask.length + " kept flags");
                }
                modules.put(module, new ModuleScores(theta, sigma, keptIndices(mask, file, module)));
            }
            if (modules.isEmpty()) {
                throw new IOException(file + ": no '<module>.scores' tensor; this is not a SoCo scores file");
            }
            String ratio = in.metadata().getOrDefault("soco.target_ratio", "NaN");
            return new SocoScores(modules, Double.parseDouble(ratio), in.metadata().getOrDefault("soco.settings", ""));
        }
    }

    private static int[] keptIndices(double[] mask, Path file, String module) throws IOException {
        int[] kept = new int[mask.length];
        int n = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] == 1) {
                kept[n++] = i;
            } else if (mask[i] != 0) {
                throw new IOException(file + ": " + module + ".kept holds " + mask[i] + " (only 0 and 1 are allowed)");
            }
        }
        return java.util.Arrays.copyOf(kept, n);
    }

    static double[] doubles(SafetensorsFile in, String name) throws IOException {
        if (!in.contains(name)) {
            throw new IOException(in.path() + ": tensor " + name + " is missing");
        }
        if (in.info(name).dtype() != DType.F64) {
            throw new IOException(in.path() + ": tensor " + name + " is " + in.info(name).dtype() + ", expected F64");
        }
        return DoubleBytes.decode(in.readRaw(name));
    }
}
