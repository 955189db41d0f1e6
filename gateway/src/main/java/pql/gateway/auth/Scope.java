package pql.gateway.auth;

import java.util.Arrays;
import java.util.Optional;

/** What an API key may do. Written in config and on the CLI as {@code ingest:write} etc. */
public enum Scope {
    INGEST_WRITE("ingest:write"),
    SCORES_READ("scores:read"),
    FORECAST_READ("forecast:read"),
    DEFINITIONS_ADMIN("definitions:admin"),
    /** AlertService: webhook subscriptions (they carry secrets and send account data out). */
    ALERTS_ADMIN("alerts:admin"),
    /** The admin port: tasks (log levels), thread dumps, metrics. No gRPC method needs it. */
    ADMIN("admin");

    private final String label;

    Scope(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Optional<Scope> parse(String label) {
        return Arrays.stream(values()).filter(scope -> scope.label.equals(label)).findFirst();
    }

    @Override
    public String toString() {
        return label;
    }
}
