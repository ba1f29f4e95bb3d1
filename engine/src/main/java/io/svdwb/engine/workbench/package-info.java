/**
 * What the workbench shows, computed by the engine so that the UI only displays it: rank plans and model
 * footprints for a ratio (cheap arithmetic, fit for every slider move), singular-value spectra with their
 * retained energy and truncation losses, and a session that compresses and estimates perplexity on one shared
 * {@link io.svdwb.engine.compress.method.CompressionContext}. No JavaFX here: the app adapts these to properties.
 */
package io.svdwb.engine.workbench;
