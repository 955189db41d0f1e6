package pql.allinone.support;

import com.codahale.metrics.health.HealthCheck;
import io.grpc.Channel;
import io.grpc.ServerServiceDefinition;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import pql.allinone.AllInOneConfig;
import pql.allinone.SuiteFactory;
import pql.common.ServiceModule;
import pql.common.telemetry.Telemetry;
import pql.eventstore.EventStore;
import pql.gateway.support.FakeBackends;

/** The all-in-one with the fake services, to test its own machinery (not the services). */
public final class FakeSuite implements SuiteFactory {

    private final FakeBackends fakes;

    public FakeSuite(FakeBackends fakes) {
        this.fakes = fakes;
    }

    @Override
    public ServiceModule ingest(AllInOneConfig config, SettingsBinder settings, EventStore store, Telemetry telemetry, Clock clock) {
        return new FakeModule("ingest", fakes.ingestServices());
    }

    @Override
    public ServiceModule scoring(AllInOneConfig config, SettingsBinder settings, EventStore store, Telemetry telemetry, Clock clock) {
        return new FakeModule("scoring", fakes.scoringServices());
    }

    @Override
    public ServiceModule forecast(AllInOneConfig config, SettingsBinder settings, Channel scoringChannel, Telemetry telemetry, Clock clock) {
        return new FakeModule("forecast", fakes.forecastServices());
    }

    /** A module that serves {@code definitions} and runs nothing in the background. */
    public record FakeModule(String name, List<ServerServiceDefinition> definitions) implements ServiceModule {
        @Override
        public List<ServerServiceDefinition> services() {
            return definitions;
        }

        @Override
        public Map<String, HealthCheck> healthChecks() {
            return Map.of();
        }

        @Override
        public void start() {
        }

        @Override
        public void close() {
        }
    }
}
