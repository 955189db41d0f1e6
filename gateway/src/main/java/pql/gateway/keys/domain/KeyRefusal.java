package pql.gateway.keys.domain;

import java.util.Map;

/** Why a key could not be created or revoked; the adapters turn each kind into its status. */
public abstract sealed class KeyRefusal extends RuntimeException {

    private KeyRefusal(String message) {
        super(message);
    }

    /** The request itself is wrong: one description per field, in field order. */
    public static final class Invalid extends KeyRefusal {
        private final Map<String, String> violations;

        public Invalid(Map<String, String> violations) {
            super("invalid key request: " + violations);
            this.violations = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(violations));
        }

        public Map<String, String> violations() {
            return violations;
        }
    }

    /** A current key (runtime or configured) already has the name. */
    public static final class NameTaken extends KeyRefusal {
        public NameTaken(String name, boolean configured) {
            super(configured
                    ? "the name '" + name + "' belongs to a key configured in the gateway's YAML"
                    : "a current key is already named '" + name + "': revoke it first or pick another name");
        }
    }

    /** No current runtime key has the name. */
    public static final class NotFound extends KeyRefusal {
        public NotFound(String name) {
            super("no runtime API key is named '" + name + "'");
        }
    }

    /** The key comes from the YAML: it is removed there, not revoked here. */
    public static final class Configured extends KeyRefusal {
        public Configured(String name) {
            super("'" + name + "' is configured in the gateway's YAML (auth.apiKeys): remove it there");
        }
    }
}
