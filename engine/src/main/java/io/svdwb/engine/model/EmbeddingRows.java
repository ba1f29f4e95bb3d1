package io.svdwb.engine.model;

import io.svdwb.engine.progress.StageClock;
import io.svdwb.engine.safetensors.HalfFloats;
import io.svdwb.engine.safetensors.TensorStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.BitSet;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The token embedding's rows, as a forward pass looks them up. An untied table is only ever read row by row, so its
 * rows are read from the checkpoint when a token first needs them: a run touches the rows of the tokens in its windows,
 * not the whole table (LLaMA-7B: 0.5 GB as float32, 2.2 GB at a 152k vocabulary). A tied table is the output
 * projection too and is held whole anyway; its rows are read from that one copy.
 */
final class EmbeddingRows {

    private final int vocab;
    private final int width;
    private final TensorStore store;
    private final String name;
    private final float[][] readRows;
    /** Held so that its memory stays allocated while {@code tableRows} points into it (a GPU run keeps no other reference). */
    private final INDArray table;
    private final FloatPointer tableRows;

    private EmbeddingRows(int vocab, int width, TensorStore store, String name, INDArray table) {
        this.vocab = vocab;
        this.width = width;
        this.store = store;
        this.name = name;
        this.readRows = store == null ? null : new float[vocab][];
        this.table = table;
        this.tableRows = table == null ? null : new FloatPointer(table.data().addressPointer());
    }

    /** Rows read from tensor {@code name} of {@code store} as tokens need them, and kept. */
    static EmbeddingRows stored(TensorStore store, String name, int vocab, int width) {
        return new EmbeddingRows(vocab, width, store, name, null);
    }

    /** Rows of a [vocab, width] float32 table already in memory. */
    static EmbeddingRows of(INDArray table) {
        return new EmbeddingRows((int) table.rows(), (int) table.columns(), null, null, table);
    }

    /** The residual stream after the embedding: [sequences * seqLen, width], row by row as the tokens give them. */
    synchronized float[] lookUp(int[][] sequences, int seqLen) {
        BitSet tokens = new BitSet(vocab);
        for (int[] sequence : sequences) {
            for (int t = 0; t < seqLen; t++) {
                int token = sequence[t];
                if (token < 0 || token >= vocab) {
                    throw new IllegalArgumentException("token id " + token + " is outside the vocabulary of " + vocab);
                }
                tokens.set(token);
            }
        }
        if (store != null) {
            readMissing(tokens);
        }
        float[] hidden = new float[sequences.length * seqLen * width];
        for (int s = 0; s < sequences.length; s++) {
            for (int t = 0; t < seqLen; t++) {
                copyRow(sequences[s][t], hidden, (s * seqLen + t) * width);
            }
        }
        return hidden;
    }

    private void copyRow(int token, float[] dst, int offset) {
        if (store != null) {
            System.arraycopy(readRows[token], 0, dst, offset, width);
        } else {
            tableRows.position((long) token * width).get(dst, offset, width);
        }
    }

    private void readMissing(BitSet tokens) {
        long start = System.nanoTime();
        try {
            tokens.stream().filter(token -> readRows[token] == null).parallel().forEach(token -> readRows[token] = readRow(token));
        } finally {
            StageClock.add(StageClock.Stage.LOAD, start);
        }
    }

    private float[] readRow(int token) {
        float[] row = new float[width];
        try {
            store.readFloats(name, (long) token * width, row, 0, width);
        } catch (IOException e) {
            throw new UncheckedIOException("reading row " + token + " of " + name, e);
        }
        long nonFinite = HalfFloats.countNonFinite(row, 0, width);
        if (nonFinite > 0) {
            throw new UncheckedIOException(OffHeapTensors.nonFiniteError(name, nonFinite,
                    "in row " + token + " (the embedding of token " + token + ")"));
        }
        return row;
    }
}
