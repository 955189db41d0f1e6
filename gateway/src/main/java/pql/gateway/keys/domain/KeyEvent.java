package pql.gateway.keys.domain;

import java.time.Instant;

/** A fact of the key stream. */
public sealed interface KeyEvent {

    /** A key was created. */
    record Created(RuntimeKey key) implements KeyEvent {
    }

    /** The key named {@code name} was revoked by the key named {@code revokedBy}. */
    record Revoked(String name, Instant revokedAt, String revokedBy) implements KeyEvent {
    }
}
