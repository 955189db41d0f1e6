package pql.gateway.keys.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pql.gateway.auth.Scope;

/**
 * The current runtime keys, folded from the key stream, and the rules for changing them: names are
 * unique among current keys (configured ones included), scopes are known ones, an expiry lies in
 * the future; only a current runtime key can be revoked. Not thread-safe: one per reader.
 */
public final class KeyRing {

    /** What a name may be: the same as for a configured key, so it reads well as a principal. */
    public static final String NAME_PATTERN = "[A-Za-z0-9._@-]{1,64}";

    private final Map<String, RuntimeKey> current = new LinkedHashMap<>();
    private long version = -1;

    /** Applies the event at {@code streamVersion} (events come in stream order). */
    public void apply(long streamVersion, KeyEvent event) {
        if (event instanceof KeyEvent.Created created) {
            current.put(created.key().name(), created.key());
        } else if (event instanceof KeyEvent.Revoked revoked) {
            current.remove(revoked.name());
        }
        version = streamVersion;
    }

    /** The stream version of the last event applied, -1 before any. */
    public long version() {
        return version;
    }

    /** Current keys (expired ones included: they are refused, not gone), oldest first. */
    public List<RuntimeKey> keys() {
        return new ArrayList<>(current.values());
    }

    /**
     * The event creating a key, or a refusal.
     *
     * @param configuredNames names of the keys from the YAML (and the local key)
     * @param sha256          the SHA-256 of the new secret
     * @param lastFour        the secret's last four characters
     */
    public KeyEvent.Created create(String name, List<String> scopeLabels, Instant expiresAt, Instant now,
            Set<String> configuredNames, String createdBy, byte[] sha256, String lastFour) {
        Map<String, String> violations = new LinkedHashMap<>();
        if (name == null || !name.matches(NAME_PATTERN)) {
            violations.put("name", "must be 1..64 characters of [A-Za-z0-9._@-], was '" + (name == null ? "" : name) + "'");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        if (scopeLabels.isEmpty()) {
            violations.put("scopes", "at least one scope is required; valid scopes: " + Scope.allLabels());
        }
        for (int i = 0; i < scopeLabels.size(); i++) {
            String label = scopeLabels.get(i);
            String field = "scopes[" + i + "]";
            Scope.parse(label.trim()).ifPresentOrElse(scopes::add, () -> violations.put(field,
                    "unknown scope '" + label + "'; valid scopes: " + Scope.allLabels()));
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            violations.put("expires_at", "must be in the future, was " + expiresAt);
        }
        if (!violations.isEmpty()) {
            throw new KeyRefusal.Invalid(violations);
        }
        if (configuredNames.contains(name)) {
            throw new KeyRefusal.NameTaken(name, true);
        }
        if (current.containsKey(name)) {
            throw new KeyRefusal.NameTaken(name, false);
        }
        return new KeyEvent.Created(new RuntimeKey(name, sha256, scopes, now, expiresAt, createdBy, lastFour));
    }

    /** The event revoking the key named {@code name}, or a refusal. */
    public KeyEvent.Revoked revoke(String name, Instant now, Set<String> configuredNames, String revokedBy) {
        if (!current.containsKey(name)) {
            if (configuredNames.contains(name)) {
                throw new KeyRefusal.Configured(name);
            }
            throw new KeyRefusal.NotFound(name);
        }
        return new KeyEvent.Revoked(name, now, revokedBy);
    }

    /** The current key named {@code name}, null when there is none. */
    public RuntimeKey get(String name) {
        return current.get(name);
    }
}
