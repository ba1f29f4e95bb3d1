/** The SVD Workbench engine: numerics, model I/O, methods, evaluation and the CLI. No JavaFX. */
package io.svdwb.engine;
