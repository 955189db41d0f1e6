package pql.gateway.auth;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The keys the gateway accepts, held as hashes. Immutable and thread-safe. */
public final class ApiKeyRegistry {

    private record Entry(Caller caller, byte[] sha256) {
    }

    private final List<Entry> entries;

    private ApiKeyRegistry(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * @throws IllegalArgumentException naming the entry, for a bad hash, an unknown scope or a
     *                                  repeated name or hash
     */
    public static ApiKeyRegistry of(List<ApiKeyConfig> configured) {
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
                        where + ".scopes: unknown scope '" + label + "' (known: ingest:write, scores:read, forecast:read, definitions:admin, alerts:admin, admin)")));
            }
            entries.add(new Entry(new Caller(key.getName(), scopes), HexFormat.of().parseHex(hash)));
        }
        return new ApiKeyRegistry(entries);
    }

    /** A registry with one more key (the all-in-one's local key). */
    public ApiKeyRegistry with(String name, String key, Set<Scope> scopes) {
        List<Entry> more = new ArrayList<>(entries);
        more.add(new Entry(new Caller(name, scopes), ApiKeys.sha256(key)));
        return new ApiKeyRegistry(more);
    }

    /** The caller owning {@code presentedKey}; empty for an unknown key. */
    public Optional<Caller> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = ApiKeys.sha256(presentedKey);
        Caller found = null;
        // Compare with every entry in constant time: how long this takes says nothing about
        // how close a guess came to a real key's hash.
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.sha256(), presented)) {
                found = entry.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    public int size() {
        return entries.size();
    }
}
