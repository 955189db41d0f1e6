package pql.gateway.proxy;

import io.grpc.Channel;
import java.util.List;
import pql.v1.AlertServiceGrpc;
import pql.v1.DefinitionServiceGrpc;
import pql.v1.ForecastServiceGrpc;
import pql.v1.IngestServiceGrpc;
import pql.v1.MetricsServiceGrpc;
import pql.v1.ScoringServiceGrpc;

/** Which service answers which public API: scoring-service also owns definitions, metrics and alerts. */
public final class Routes {

    private Routes() {
    }

    public static List<Route> of(Channel ingest, Channel scoring, Channel forecast) {
        return List.of(
                new Route(IngestServiceGrpc.getServiceDescriptor(), "ingest", ingest),
                new Route(ScoringServiceGrpc.getServiceDescriptor(), "scoring", scoring),
                new Route(DefinitionServiceGrpc.getServiceDescriptor(), "scoring", scoring),
                new Route(MetricsServiceGrpc.getServiceDescriptor(), "scoring", scoring),
                new Route(AlertServiceGrpc.getServiceDescriptor(), "scoring", scoring),
                new Route(ForecastServiceGrpc.getServiceDescriptor(), "forecast", forecast));
    }

    /** The services that only read or administer (every route but ingest's): the gateway runs their calls apart from ingest's. */
    public static java.util.Set<String> readServices(List<Route> routes) {
        return routes.stream().filter(route -> !route.serviceName().equals(IngestServiceGrpc.SERVICE_NAME))
                .map(Route::serviceName).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
