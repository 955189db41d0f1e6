package pql.gateway.auth;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The scope each public RPC needs. Reads of definitions and rescores are scores:read; changing
 * what serves (publish, rescore, promote, discard) is definitions:admin; every AlertService method is
 * alerts:admin (subscriptions carry secrets and send account data out); KeyService is keys:admin.
 * dashboard:read grants no gRPC method: it is for the dashboard's HTTP reads only.
 */
public final class MethodScopes {

    /** Services anybody may call: probes and tooling must work before anyone has a key. */
    private static final Set<String> OPEN_SERVICES = Set.of(
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection");

    private static final Map<String, Scope> BY_SERVICE = Map.of(
            "pql.v1.IngestService", Scope.INGEST_WRITE,
            // served by the gateway itself; a key without admin sees only its own items
            "pql.v1.IngestErrorService", Scope.INGEST_WRITE,
            "pql.v1.ScoringService", Scope.SCORES_READ,
            "pql.v1.MetricsService", Scope.SCORES_READ,
            "pql.v1.DefinitionService", Scope.SCORES_READ,
            "pql.v1.AlertService", Scope.ALERTS_ADMIN,
            // served by the gateway itself (runtime keys); a key with it can mint any scope
            "pql.v1.KeyService", Scope.KEYS_ADMIN,
            "pql.v1.ForecastService", Scope.FORECAST_READ);

    private static final Map<String, Scope> BY_METHOD = Map.of(
            "pql.v1.DefinitionService/PublishDefinition", Scope.DEFINITIONS_ADMIN,
            "pql.v1.DefinitionService/StartRescore", Scope.DEFINITIONS_ADMIN,
            "pql.v1.DefinitionService/PromoteDefinition", Scope.DEFINITIONS_ADMIN,
            "pql.v1.DefinitionService/DiscardRescore", Scope.DEFINITIONS_ADMIN,
            // a read: judges a version on its projection, changes nothing
            "pql.v1.DefinitionService/BacktestDefinition", Scope.SCORES_READ,
            // replays the whole log and reads every account's behaviour: for whoever writes definitions
            "pql.v1.DefinitionService/SuggestDefinition", Scope.DEFINITIONS_ADMIN);

    /** What a method needs. */
    public sealed interface Requirement permits Open, Needs, Unknown {
    }

    /** No key needed. */
    public record Open() implements Requirement {
    }

    /** A key with this scope. */
    public record Needs(Scope scope) implements Requirement {
    }

    /** Not a public method: only the authenticated may even learn it does not exist. */
    public record Unknown() implements Requirement {
    }

    public Requirement of(String fullMethodName) {
        String service = serviceOf(fullMethodName);
        if (OPEN_SERVICES.contains(service)) {
            return new Open();
        }
        Scope scope = Optional.ofNullable(BY_METHOD.get(fullMethodName)).orElse(BY_SERVICE.get(service));
        return scope == null ? new Unknown() : new Needs(scope);
    }

    private static String serviceOf(String fullMethodName) {
        int slash = fullMethodName.lastIndexOf('/');
        return slash < 0 ? fullMethodName : fullMethodName.substring(0, slash);
    }
}
