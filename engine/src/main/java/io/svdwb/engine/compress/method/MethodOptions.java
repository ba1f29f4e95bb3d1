package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.kernels.AsvdScaling;
import io.svdwb.engine.compress.kernels.ResidualSvd;
import io.svdwb.engine.compress.kernels.Whitening;
import io.svdwb.engine.soco.SocoSettings;

/**
 * The per-method knobs; everything docs/METHODS.md marks [OURS] is here so it stays configurable. Defaults follow
 * the reference code where there is one.
 *
 * @param whitening          Cholesky fallbacks (§3.3) for SVD-LLM, ResSVD and Duo-SVD; default: 1e-6 ridge, then 5 % damping [OURS]
 * @param asvdAlpha          ASVD scaling exponent (§4.3, 0.5)
 * @param asvdRankSearch     ASVD's sensitivity-based rank search (§4.3 steps 1-4) instead of uniform ranks
 * @param ressvdBeta         ResSVD residual share of the break-even rank (§4.7, 0.05)
 * @param ressvdMetric       how ResSVD's second stage measures the residual (§4.7: WHITENED [OURS] or PLAIN)
 * @param ressvdLayers       ResSVD: compress only the last k selected layers; 0 = choose k by calibration perplexity
 * @param ressvdMaxLayerRatio ResSVD: the largest per-layer ratio R_max a k may need (§4.7, 0.9 [OURS])
 * @param duoAllocation      Duo-SVD: KL-sensitivity knapsack allocation across modules (§4.6 steps 2-3); false = uniform
 * @param duoColumnPreserving Duo-SVD: column-preserving factors (§4.6 step 4); false = plain whitened factors
 * @param probeSamples       windows for the searches' calibration perplexity / KL probes (§4.3, §4.6: 32)
 * @param probeLength        tokens per probe window; 0 = the calibration length
 * @param probeSeed          seed of the probe windows (ASVD's sampler uses 233)
 * @param soco               SoCo's training schedule, batches, seed and checkpointing (§4.8, all [OURS])
 * @param svdLlmUpdate       SVD-LLM's closed-form update of A after whitening (§4.4); off by default
 * @param svdLlmRatios       SVD-LLM's per-matrix ratios: uniform (§4.4) or SVD-LLM V2's loss-based ones (§4.5)
 */
public record MethodOptions(Whitening.Options whitening, double asvdAlpha, boolean asvdRankSearch, double ressvdBeta,
                            ResidualSvd.ResidualMetric ressvdMetric, int ressvdLayers, double ressvdMaxLayerRatio,
                            boolean duoAllocation, boolean duoColumnPreserving, int probeSamples, int probeLength,
                            long probeSeed, SocoSettings soco, SvdLlmUpdate svdLlmUpdate,
                            SvdLlmRatios svdLlmRatios) {

    public static final MethodOptions DEFAULTS = new MethodOptions(Whitening.Options.DEFAULT, AsvdScaling.DEFAULT_ALPHA,
            true, ResidualSvd.DEFAULT_BETA, ResidualSvd.ResidualMetric.WHITENED, 0, 0.9, true, true, 32, 0, 233, SocoSettings.DEFAULTS,
            SvdLlmUpdate.OFF, SvdLlmRatios.UNIFORM);

    /** Without SVD-LLM's update and V2 ratios (as the options were before they existed: stored sessions use this). */
    public MethodOptions(Whitening.Options whitening, double asvdAlpha, boolean asvdRankSearch, double ressvdBeta,
            ResidualSvd.ResidualMetric ressvdMetric, int ressvdLayers, double ressvdMaxLayerRatio, boolean duoAllocation,
            boolean duoColumnPreserving, int probeSamples, int probeLength, long probeSeed, SocoSettings soco) {
        this(whitening, asvdAlpha, asvdRankSearch, ressvdBeta, ressvdMetric, ressvdLayers, ressvdMaxLayerRatio, duoAllocation,
                duoColumnPreserving, probeSamples, probeLength, probeSeed, soco, SvdLlmUpdate.OFF, SvdLlmRatios.UNIFORM);
    }

    public MethodOptions {
        if (!(asvdAlpha >= 0 && asvdAlpha <= 4)) {
            throw new IllegalArgumentException("ASVD alpha must be in [0, 4], got " + asvdAlpha);
        }
        if (!(ressvdBeta >= 0 && ressvdBeta < 1)) {
            throw new IllegalArgumentException("ResSVD beta must be in [0, 1), got " + ressvdBeta);
        }
        if (ressvdLayers < 0) {
            throw new IllegalArgumentException("ResSVD layer count must be >= 0 (0 = search), got " + ressvdLayers);
        }
        if (!(ressvdMaxLayerRatio > 0 && ressvdMaxLayerRatio < 1)) {
            throw new IllegalArgumentException("ResSVD R_max must be in (0, 1), got " + ressvdMaxLayerRatio);
        }
        java.util.Objects.requireNonNull(soco, "soco");
        java.util.Objects.requireNonNull(svdLlmUpdate, "svdLlmUpdate");
        java.util.Objects.requireNonNull(svdLlmRatios, "svdLlmRatios");
        if (probeSamples < 1 || probeLength < 0) {
            throw new IllegalArgumentException("probe windows must be >= 1 and probe length >= 0, got " + probeSamples + " x " + probeLength);
        }
    }

    public MethodOptions withAsvd(double alpha, boolean rankSearch) {
        return new MethodOptions(whitening, alpha, rankSearch, ressvdBeta, ressvdMetric, ressvdLayers, ressvdMaxLayerRatio,
                duoAllocation, duoColumnPreserving, probeSamples, probeLength, probeSeed, soco, svdLlmUpdate, svdLlmRatios);
    }

    public MethodOptions withResSvd(double beta, ResidualSvd.ResidualMetric metric, int layers, double maxLayerRatio) {
        return new MethodOptions(whitening, asvdAlpha, asvdRankSearch, beta, metric, layers, maxLayerRatio,
                duoAllocation, duoColumnPreserving, probeSamples, probeLength, probeSeed, soco, svdLlmUpdate, svdLlmRatios);
    }

    public MethodOptions withDuo(boolean allocation, boolean columnPreserving) {
        return new MethodOptions(whitening, asvdAlpha, asvdRankSearch, ressvdBeta, ressvdMetric, ressvdLayers,
                ressvdMaxLayerRatio, allocation, columnPreserving, probeSamples, probeLength, probeSeed, soco, svdLlmUpdate, svdLlmRatios);
    }

    public MethodOptions withProbe(int samples, int length, long seed) {
        return new MethodOptions(whitening, asvdAlpha, asvdRankSearch, ressvdBeta, ressvdMetric, ressvdLayers,
                ressvdMaxLayerRatio, duoAllocation, duoColumnPreserving, samples, length, seed, soco, svdLlmUpdate, svdLlmRatios);
    }

    public MethodOptions withWhitening(Whitening.Options options) {
        return new MethodOptions(options, asvdAlpha, asvdRankSearch, ressvdBeta, ressvdMetric, ressvdLayers,
                ressvdMaxLayerRatio, duoAllocation, duoColumnPreserving, probeSamples, probeLength, probeSeed, soco, svdLlmUpdate, svdLlmRatios);
    }

    public MethodOptions withSoco(SocoSettings settings) {
        return new MethodOptions(whitening, asvdAlpha, asvdRankSearch, ressvdBeta, ressvdMetric, ressvdLayers,
                ressvdMaxLayerRatio, duoAllocation, duoColumnPreserving, probeSamples, probeLength, probeSeed, settings, svdLlmUpdate, svdLlmRatios);
    }

    public MethodOptions withSvdLlmUpdate(SvdLlmUpdate update) {
        return new MethodOptions(whitening, asvdAlpha, asvdRankSearch, ressvdBeta, ressvdMetric, ressvdLayers,
                ressvdMaxLayerRatio, duoAllocation, duoColumnPreserving, probeSamples, probeLength, probeSeed, soco, update, svdLlmRatios);
    }

    public MethodOptions withSvdLlmRatios(SvdLlmRatios allocation) {
        return new MethodOptions(whitening, asvdAlpha, asvdRankSearch, ressvdBeta, ressvdMetric, ressvdLayers,
                ressvdMaxLayerRatio, duoAllocation, duoColumnPreserving, probeSamples, probeLength, probeSeed, soco, svdLlmUpdate,
                allocation);
    }
}
