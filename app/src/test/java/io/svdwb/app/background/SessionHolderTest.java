package io.svdwb.app.background;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionHolderTest {

    /** A session that records whether it was closed. */
    static final class FakeSession implements AutoCloseable {
        final String key;
        boolean closed;

        FakeSession(String key) {
            this.key = key;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final List<FakeSession> opened = new ArrayList<>();
    private final SessionHolder<String, FakeSession> holder = new SessionHolder<>(key -> {
        FakeSession s = new FakeSession(key);
        opened.add(s);
        return s;
    });

    @Test
    void theSameKeySharesOneSession() throws Exception {
        try (var a = holder.acquire("m"); var b = holder.acquire("m")) {
            assertThat(a.session()).isSameAs(b.session());
        }
        assertThat(opened).hasSize(1);
        assertThat(opened.get(0).closed).isFalse();
    }

    @Test
    void aRetiredSessionClosesOnlyWhenItsLastLeaseIsReturned() throws Exception {
        var old = holder.acquire("calibration 16");
        try (var fresh = holder.acquire("calibration 32")) {
            assertThat(fresh.session()).isNotSameAs(old.session());
            assertThat(old.session().closed).as("still leased by a running task").isFalse();
            old.close();
            assertThat(old.session().closed).isTrue();
            old.close();  // returning twice changes nothing
            assertThat(fresh.session().closed).isFalse();
        }
        assertThat(holder.isOpen("calibration 32")).isTrue();
    }

    @Test
    void closingRetiresTheCurrentSessionAndRefusesNewLeases() throws Exception {
        var lease = holder.acquire("m");
        holder.close();
        assertThat(lease.session().closed).isFalse();
        lease.close();
        assertThat(lease.session().closed).isTrue();
        assertThatThrownBy(() -> holder.acquire("m")).hasMessageContaining("closing");
    }

    @Test
    void anUnusedRetiredSessionClosesAtOnce() throws Exception {
        holder.acquire("a").close();
        holder.acquire("b").close();
        assertThat(opened).extracting(s -> s.closed).containsExactly(true, false);
    }
}
