package io.svdwb.engine.cli;

import io.svdwb.engine.compress.quant.FactorStorage;
import picocli.CommandLine.Option;

/** How every method's factors are stored and the ratio counted (docs/METHODS.md §2.6): not a method's option, everyone's. */
final class FactorStorageOptions {

    @Option(names = "--factor-dtype", paramLabel = "baseline|int8",
            description = "Storage of every method's factors (docs/METHODS.md §2.6): baseline = counted at the dense dtype (exported float32); "
                    + "int8 = symmetric round-to-nearest codes with one float32 scale per row, the ratio counted in bits and the uniform "
                    + "ranks taken from the bit budget. Default: ${DEFAULT-VALUE}.")
    String factorDtype = "baseline";

    @Option(names = "--baseline-bits", paramLabel = "16|32",
            description = "Bits per weight of the dense model the int8 ratio is counted against (16 = fp16/bf16 [OURS default], 32 = fp32). "
                    + "Default: ${DEFAULT-VALUE}.")
    int baselineBits = FactorStorage.DEFAULT_BASELINE_BITS;

    @Option(names = "--int8-rounding", paramLabel = "nearest|gptq",
            description = "How int8 codes are chosen (§2.6): round-to-nearest, or GPTQ's error feedback through each factor's input "
                    + "Hessian (B: the calibration Gram H; A: B H B^T; needs a calibrated method). Default: ${DEFAULT-VALUE}.")
    String int8Rounding = "nearest";

    FactorStorage storage() {
        return new FactorStorage(FactorStorage.Precision.parse(factorDtype), baselineBits, FactorStorage.Rounding.parse(int8Rounding));
    }
}
