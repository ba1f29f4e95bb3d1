package io.svdwb.app;

import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.workbench.MatrixSpectrum;
import java.util.List;
import java.util.Optional;

/** The spectra of every compressible matrix of one decoder layer, as the engine computed them. */
public record LayerSpectra(int layer, List<MatrixSpectrum> spectra) {

    public LayerSpectra {
        spectra = List.copyOf(spectra);
    }

    /** Whether the whitened (W S) values are included. */
    public boolean whitened() {
        return !spectra.isEmpty() && spectra.get(0).hasWhitened();
    }

    public Optional<MatrixSpectrum> of(MatrixSpec matrix) {
        return spectra.stream().filter(s -> s.matrix().equals(matrix)).findFirst();
    }
}
