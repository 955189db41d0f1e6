package pql.gateway.keys.app;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import pql.gateway.auth.ApiKeys;
import pql.gateway.keys.domain.KeyEvent;
import pql.gateway.keys.domain.KeyRing;
import pql.gateway.keys.domain.RuntimeKey;

/**
 * Creating, listing and revoking runtime keys against the key stream. Each change reads the stream,
 * decides on the current keys and appends only if nobody appended meanwhile (two gateways creating
 * the same name: the second sees the first's key and is refused), retrying a few times on a race.
 */
public final class KeyUseCases {

    /** A created key and its secret, which exists nowhere else. */
    public record Created(RuntimeKey key, String secret) {
    }

    /** A revoked key as it was, and when it was revoked. */
    public record Revoked(RuntimeKey key, Instant revokedAt) {
    }

    private static final int ATTEMPTS = 5;

    private final KeyLog log;
    private final Supplier<Set<String>> configuredNames;
    private final Clock clock;
    private final Supplier<String> secrets;
    private final Runnable afterChange;

    /**
     * @param configuredNames the YAML (and local) key names, which runtime keys may not take
     * @param secrets         makes a new secret ({@link ApiKeys#generate()})
     * @param afterChange     run after each change, e.g. to make it effective on this gateway at once
     */
    public KeyUseCases(KeyLog log, Supplier<Set<String>> configuredNames, Clock clock, Supplier<String> secrets,
            Runnable afterChange) {
        this.log = log;
        this.configuredNames = configuredNames;
        this.clock = clock;
        this.secrets = secrets;
        this.afterChange = afterChange;
    }

    /** @throws pql.gateway.keys.domain.KeyRefusal for a bad request or a name in use */
    public Created create(String name, List<String> scopes, Instant expiresAt, String createdBy) {
        String secret = secrets.get();
        KeyEvent.Created created = change(ring -> ring.create(name, scopes, expiresAt, clock.instant(),
                configuredNames.get(), createdBy, ApiKeys.sha256(secret), secret.substring(secret.length() - 4)));
        return new Created(created.key(), secret);
    }

    /** The current runtime keys, oldest first. */
    public List<RuntimeKey> list() {
        return current().keys();
    }

    /** @throws pql.gateway.keys.domain.KeyRefusal when no current runtime key has the name */
    public Revoked revoke(String name, String revokedBy) {
        RuntimeKey[] before = new RuntimeKey[1];
        KeyEvent.Revoked revoked = change(ring -> {
            before[0] = ring.get(name);
            return ring.revoke(name, clock.instant(), configuredNames.get(), revokedBy);
        });
        return new Revoked(before[0], revoked.revokedAt());
    }

    private <E extends KeyEvent> E change(Function<KeyRing, E> decision) {
        for (int attempt = 1; ; attempt++) {
            KeyRing ring = current();
            E event = decision.apply(ring);
            try {
                log.append(ring.version(), event);
                afterChange.run();
                return event;
            } catch (KeyLog.Conflict raced) {
                if (attempt == ATTEMPTS) {
                    throw raced;
                }
            }
        }
    }

    private KeyRing current() {
        KeyRing ring = new KeyRing();
        log.readFrom(0).forEach(entry -> ring.apply(entry.streamVersion(), entry.event()));
        return ring;
    }
}
