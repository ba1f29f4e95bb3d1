package io.svdwb.app.background;

import java.io.IOException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session per key, shared by the threads that use it: {@link #acquire} opens it the first time and hands
 * out leases; asking for another key retires the current session, which is closed as soon as its last lease
 * is returned (never under a thread still using it).
 *
 * @param <K> what a session depends on (model folder, calibration settings)
 * @param <S> the session
 */
public final class SessionHolder<K, S extends AutoCloseable> implements AutoCloseable {

    /** Opens the session for a key (slow: it reads a checkpoint). */
    @FunctionalInterface
    public interface Opener<K, S> {
        S open(K key) throws Exception;
    }

    /** The right to use a session until {@link #close()}. */
    public final class Lease implements AutoCloseable {

        private final Entry entry;
        private boolean returned;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        public S session() {
            return entry.session;
        }

        @Override
        public void close() {
            synchronized (SessionHolder.this) {
                if (!returned) {
                    returned = true;
                    entry.leases--;
                    closeIfRetiredAndUnused(entry);
                }
            }
        }
    }

    private final class Entry {
        final K key;
        final S session;
        int leases;
        boolean retired;

        Entry(K key, S session) {
            this.key = key;
            this.session = session;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(SessionHolder.class);

    private final Opener<K, S> opener;
    private Entry current;
    private boolean closed;

    public SessionHolder(Opener<K, S> opener) {
        this.opener = opener;
    }

    /** A lease on the session for {@code key}, opening it (and retiring the previous one) if needed. */
    public synchronized Lease acquire(K key) throws Exception {
        Objects.requireNonNull(key, "key");
        if (closed) {
            throw new IllegalStateException("the workbench is closing");
        }
        if (current == null || !current.key.equals(key)) {
            retire();
            // Opened under the lock on purpose: a second thread asking for the same key waits for this session.
            current = new Entry(key, opener.open(key));
        }
        current.leases++;
        return new Lease(current);
    }

    /** Whether the current (not retired) session is the one for {@code key}. */
    synchronized boolean isOpen(K key) {
        return current != null && current.key.equals(key);
    }

    /** Retires the current session; it closes now if unused, else when its last lease is returned. */
    @Override
    public synchronized void close() {
        closed = true;
        retire();
    }

    private void retire() {
        if (current != null) {
            current.retired = true;
            closeIfRetiredAndUnused(current);
            current = null;
        }
    }

    private void closeIfRetiredAndUnused(Entry entry) {
        if (entry.retired && entry.leases == 0) {
            try {
                entry.session.close();
            } catch (Exception e) {
                // Nothing the user can act on: the session's files are read-only.
                LOG.warn("closing the engine session for {} failed", entry.key, e);
            }
        }
    }
}
