/** The JavaFX workbench. */
package io.svdwb.app;
