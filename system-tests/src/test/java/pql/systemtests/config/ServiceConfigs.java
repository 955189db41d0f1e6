package pql.systemtests.config;

import io.dropwizard.core.Configuration;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import java.util.List;
import pql.common.grpc.GrpcServerConfig;
import pql.common.telemetry.TelemetryConfig;
import pql.eventstore.config.EventStoreConfig;
import pql.forecast.ForecastServiceConfig;
import pql.gateway.GatewayConfig;
import pql.ingest.IngestServiceConfig;
import pql.scoring.ScoringServiceConfig;

/** What the tests read out of a loaded Dropwizard configuration. */
final class ServiceConfigs {

    private ServiceConfigs() {
    }

    static GrpcServerConfig grpc(Configuration config) {
        if (config instanceof IngestServiceConfig c) {
            return c.getGrpc();
        } else if (config instanceof ScoringServiceConfig c) {
            return c.getGrpc();
        } else if (config instanceof ForecastServiceConfig c) {
            return c.getGrpc();
        } else if (config instanceof GatewayConfig c) {
            return c.getGrpc();
        }
        throw new AssertionError("not a PQL service configuration: " + config.getClass());
    }

    static TelemetryConfig telemetry(Configuration config) {
        if (config instanceof IngestServiceConfig c) {
            return c.getTelemetry();
        } else if (config instanceof ScoringServiceConfig c) {
            return c.getTelemetry();
        } else if (config instanceof ForecastServiceConfig c) {
            return c.getTelemetry();
        } else if (config instanceof GatewayConfig c) {
            return c.getTelemetry();
        }
        throw new AssertionError("not a PQL service configuration: " + config.getClass());
    }

    /** The {@code eventStore:} section, null for the services without one (forecast, gateway). */
    static EventStoreConfig eventStore(Configuration config) {
        if (config instanceof IngestServiceConfig c) {
            return c.getEventStore();
        } else if (config instanceof ScoringServiceConfig c) {
            return c.getEventStore();
        }
        return null;
    }

    static HttpConnectorFactory adminConnector(Configuration config) {
        return single(((DefaultServerFactory) config.getServerFactory()).getAdminConnectors(), "admin");
    }

    static HttpConnectorFactory applicationConnector(Configuration config) {
        return single(((DefaultServerFactory) config.getServerFactory()).getApplicationConnectors(), "application");
    }

    private static HttpConnectorFactory single(List<ConnectorFactory> connectors, String which) {
        if (connectors.size() != 1 || !(connectors.get(0) instanceof HttpConnectorFactory http)) {
            throw new AssertionError("expected one HTTP " + which + " connector, got " + connectors);
        }
        return http;
    }
}
