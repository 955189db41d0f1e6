package pql.gateway.auth;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import pql.gateway.keys.domain.RuntimeKey;

/**
 * The keys the gateway accepts, held as hashes: the configured ones (YAML, the local key), fixed
 * for the life of the process, and the runtime ones (KeyService), replaced as a whole whenever the
 * key stream changes. Thread-safe: a call sees either the old or the new runtime set.
 */
public final class ApiKeyRegistry {

    private record Entry(Caller caller, byte[] sha256, Instant expiresAt) {
    }

    private final List<Entry> configured;
    /** Shared by the registries {@link #with} derives, so the follower updates all of them. */
    private final AtomicReference<List<Entry>> runtime;
    private final Clock clock;

    private ApiKeyRegistry(List<Entry> configured, AtomicReference<List<Entry>> runtime, Clock clock) {
        this.configured = List.copyOf(configured);
        this.runtime = runtime;
        this.clock = clock;
    }

    /**
     * @throws IllegalArgumentException naming the entry, for a bad hash, an unknown scope or a
     *                                  repeated name or hash
     */
    public static ApiKeyRegistry of(List<ApiKeyConfig> configured) {
        return of(configured, Clock.systemUTC());
    }

    /** As {@link #of(List)}, with the clock that decides when a runtime key has expired. */
    public static ApiKeyRegistry of(List<ApiKeyConfig> configured, Clock clock) {
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (ApiKeyConfig key : configured) {
            String where = "apiKeys[" + key.getName() + "]";
            if (key.getName() == null || key.getName().isBlank()) {
                throw new IllegalArgumentException("apiKeys: every key needs a name");
            }
            if (!names.add(key.getName())) {
                throw new IllegalArgumentException(where + ": the name is used twice");
            }
            String hash = key.getSha256() == null ? "" : key.getSha256().toLowerCase(java.util.Locale.ROOT);
            if (!hash.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(where + ".sha256: expected the 64 hex digits of the key's SHA-256");
            }
            if (!hashes.add(hash)) {
                throw new IllegalArgumentException(where + ".sha256: the same key is configured twice");
            }
            Set<Scope> scopes = EnumSet.noneOf(Scope.class);
            for (String label : key.getScopes()) {
                scopes.add(Scope.parse(label).orElseThrow(() -> new IllegalArgumentException(
                        where + ".scopes: unknown scope '" + label + "' (known: " + Scope.allLabels() + ")")));
            }
            entries.add(new Entry(new Caller(key.getName(), scopes), HexFormat.of().parseHex(hash), null));
        }
        return new ApiKeyRegistry(entries, new AtomicReference<>(List.of()), clock);
    }

    /** A registry with one more configured key (the all-in-one's local key), sharing the runtime keys. */
    public ApiKeyRegistry with(String name, String key, Set<Scope> scopes) {
        List<Entry> more = new ArrayList<>(configured);
        more.add(new Entry(new Caller(name, scopes), ApiKeys.sha256(key), null));
        return new ApiKeyRegistry(more, runtime, clock);
    }

    /** The names of the configured keys: a runtime key may not take one of them. */
    public Set<String> configuredNames() {
        return configured.stream().map(entry -> entry.caller().name()).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Makes {@code keys} the runtime keys, replacing the previous ones. A key named like a
     * configured key is left out: a runtime key never shadows the YAML.
     *
     * @return the names left out
     */
    public List<String> useRuntimeKeys(Collection<RuntimeKey> keys) {
        Set<String> reserved = configuredNames();
        List<Entry> entries = new ArrayList<>();
        List<String> shadowing = new ArrayList<>();
        for (RuntimeKey key : keys) {
            if (reserved.contains(key.name())) {
                shadowing.add(key.name());
            } else {
                entries.add(new Entry(new Caller(key.name(), key.scopes()), key.sha256(), key.expiresAt()));
            }
        }
        runtime.set(List.copyOf(entries));
        return shadowing;
    }

    /** The caller owning {@code presentedKey}; empty for an unknown or expired key. */
    public Optional<Caller> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = ApiKeys.sha256(presentedKey);
        Entry found = null;
        // Compare with every entry in constant time: how long this takes says nothing about
        // how close a guess came to a real key's hash.
        for (Entry entry : (Iterable<Entry>) Stream.concat(configured.stream(), runtime.get().stream())::iterator) {
            if (MessageDigest.isEqual(entry.sha256(), presented)) {
                found = entry;
            }
        }
        if (found == null || (found.expiresAt() != null && !clock.instant().isBefore(found.expiresAt()))) {
            return Optional.empty();
        }
        return Optional.of(found.caller());
    }

    public int size() {
        return configured.size() + runtime.get().size();
    }
}
