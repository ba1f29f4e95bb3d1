package io.svdwb.engine.export;

import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.safetensors.CheckpointFiles;
import io.svdwb.engine.safetensors.SafetensorsFile;
import io.svdwb.engine.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads a just-written export back before it is published: through the
 * validating safetensors reader (header, offsets, format=pt), tensor by tensor against the digests of what
 * was handed to the writer (bit for bit, copied and computed tensors alike), the copied files against the
 * source's, and finally as a checkpoint the loaders accept: {@link Checkpoint#open} for dense, the factored
 * opener with the ranks and kept columns read back from config.json for factored, whose parameter count must
 * be the source's with P_orig replaced by P_kept (docs/METHODS.md §2.2).
 */
final class ExportVerifier {

    private ExportVerifier() {
    }

    /** Returns the parameter count of the verified checkpoint. */
    static long verify(Path folder, ExportRequest request, List<ExportTensor> plan, WrittenDigests digests,
                       List<Path> copiedFromSource, byte[] modelingFile) throws IOException {
        List<String> problems = new ArrayList<>();
        try (SafetensorsFile file = SafetensorsFile.open(folder.resolve(CheckpointFiles.SINGLE_FILE))) {
            if (!"pt".equals(file.metadata().get("format"))) {
                problems.add("__metadata__.format is " + file.metadata().get("format") + ", not pt");
            }
            List<String> planned = plan.stream().map(ExportTensor::name).toList();
            if (!file.names().equals(planned)) {
                problems.add("tensor names differ: planned " + planned + ", written " + file.names());
            }
            for (ExportTensor tensor : plan) {
                if (!file.contains(tensor.name())) {
                    continue;
                }
                TensorInfo info = file.info(tensor.name());
                if (info.dtype() != tensor.dtype() || !Arrays.equals(info.shape(), tensor.shape())) {
                    problems.add(tensor.name() + " is " + info + ", planned " + tensor.dtype() + " " + Arrays.toString(tensor.shape()));
                } else if (!digests.matches(tensor.name(), file.readRaw(tensor.name()))) {
                    problems.add(tensor.name() + " does not hold the bytes that were written");
                }
            }
        }
        for (Path original : copiedFromSource) {
            if (Files.mismatch(original, folder.resolve(original.getFileName().toString())) != -1) {
                problems.add(original.getFileName() + " differs from the source's copy");
            }
        }
        Path modeling = folder.resolve(CheckpointExporter.MODELING_FILE);
        if (modelingFile != null && !Arrays.equals(Files.readAllBytes(modeling), modelingFile)) {
            problems.add(CheckpointExporter.MODELING_FILE + " differs from the engine's copy");
        } else if (modelingFile == null && Files.exists(modeling)) {
            problems.add(CheckpointExporter.MODELING_FILE + " is present though config.json names no remote code");
        }
        if (!problems.isEmpty()) {
            throw new ExportVerificationException(folder + ": the export does not read back as written: " + String.join("; ", problems));
        }
        boolean factored = request.format() == ExportFormat.FACTORED;
        try (Checkpoint reopened = factored ? FactoredCheckpoint.open(folder) : Checkpoint.open(folder)) {
            Map<String, Integer> expectedFactored = factored ? request.ranks() : Map.of();
            if (!reopened.factoredRanks().equals(expectedFactored)) {
                throw new ExportVerificationException(folder + ": config.json lists factored modules " + reopened.factoredRanks()
                        + ", expected " + expectedFactored);
            }
            Map<String, List<Integer>> expectedKept = factored ? request.keptColumns() : Map.of();
            if (!reopened.keptColumns().equals(expectedKept)) {
                throw new ExportVerificationException(folder + ": config.json lists kept columns " + reopened.keptColumns()
                        + ", expected " + expectedKept);
            }
            java.util.Set<String> expectedInt8 = factored ? new java.util.TreeSet<>(request.int8Modules()) : java.util.Set.of();
            if (!reopened.int8Modules().equals(expectedInt8)) {
                throw new ExportVerificationException(folder + ": config.json lists int8 modules " + reopened.int8Modules()
                        + ", expected " + expectedInt8);
            }
            // docs/METHODS.md §2.2: the factored file holds P_kept where the source held P_orig (plus the int8 factors' row
            // scales, §2.6); dense keeps every shape
            CompressionAccounting accounting = CompressionAccounting.of(request.source(), request.replacements());
            long expectedParameters = request.source().totalParameters()
                    - (factored ? accounting.originalParameters() - accounting.keptParameters() - request.int8ScaleCount() : 0);
            if (reopened.totalParameters() != expectedParameters) {
                throw new ExportVerificationException(folder + ": reads back " + reopened.totalParameters() + " parameters, the accounting implies "
                        + expectedParameters);
            }
            return reopened.totalParameters();
        }
    }
}
