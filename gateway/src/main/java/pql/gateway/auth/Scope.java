package pql.gateway.auth;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** What an API key may do. Written in config and on the CLI as {@code ingest:write} etc. */
public enum Scope {
    INGEST_WRITE("ingest:write"),
    SCORES_READ("scores:read"),
    FORECAST_READ("forecast:read"),
    DEFINITIONS_ADMIN("definitions:admin"),
    /** AlertService: webhook subscriptions (they carry secrets and send account data out). */
    ALERTS_ADMIN("alerts:admin"),
    /** KeyService: create, list and revoke runtime API keys (a key with it can mint any scope). */
    KEYS_ADMIN("keys:admin"),
    /**
     * Exactly what the dashboard reads over HTTP (spectrum, forecast by persona, recent transitions,
     * the forecast CSV) and nothing else: no gRPC method, no lead list, no writes.
     */
    DASHBOARD_READ("dashboard:read"),
    /** The admin port: tasks (log levels), thread dumps, metrics. No gRPC method needs it. */
    ADMIN("admin");

    private final String label;

    Scope(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Every label, comma separated, in declaration order: for the messages that list the valid ones. */
    public static String allLabels() {
        return Arrays.stream(values()).map(Scope::label).collect(Collectors.joining(", "));
    }

    public static Optional<Scope> parse(String label) {
        return Arrays.stream(values()).filter(scope -> scope.label.equals(label)).findFirst();
    }

    @Override
    public String toString() {
        return label;
    }
}
