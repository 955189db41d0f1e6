package pql.gateway.keys.domain;

import java.time.Instant;
import java.util.Set;
import pql.gateway.auth.Scope;

/**
 * An API key created at runtime, as the key stream holds it: the SHA-256 of its secret, never the
 * secret itself.
 *
 * @param expiresAt null: never
 * @param lastFour  the secret's last four characters, to tell keys apart
 */
public record RuntimeKey(String name, byte[] sha256, Set<Scope> scopes, Instant createdAt, Instant expiresAt,
        String createdBy, String lastFour) {

    public RuntimeKey {
        sha256 = sha256.clone();
        scopes = Set.copyOf(scopes);
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
