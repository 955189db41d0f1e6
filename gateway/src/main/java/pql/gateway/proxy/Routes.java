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
}
