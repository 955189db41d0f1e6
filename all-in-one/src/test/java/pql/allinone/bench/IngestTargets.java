package pql.allinone.bench;

import io.grpc.CallCredentials;
import io.grpc.Channel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import pql.allinone.AllInOneConfig;
import pql.allinone.SuiteFactory;
import pql.allinone.SuiteModules;
import pql.allinone.support.FakeSuite.FakeModule;
import pql.allinone.support.RunningAllInOne;
import pql.common.ServiceModule;
import pql.common.grpc.GrpcServerConfig;
import pql.common.grpc.ManagedGrpcServer;
import pql.common.telemetry.Telemetry;
import pql.common.telemetry.TelemetryConfig;
import pql.eventstore.EventStore;
import pql.eventstore.config.EventStoreConfig;
import pql.gateway.support.RunningGateway;
import pql.ingest.IngestModule;
import pql.ingest.IngestSettings;

/** What a measurement runs against: a port on loopback, and the key to present there (if any). */
interface IngestTargets extends AutoCloseable {

    int port();

    /** Null when the target asks for no key. */
    CallCredentials credentials();

    /**
     * ingest-service alone, as its standalone app serves it: the module on the shared Netty
     * {@link ManagedGrpcServer} behind the telemetry interceptor, over the store the all-in-one
     * opens (same engine, same options), OpenTelemetry SDK on with every trace sampled (the
     * all-in-one's {@code sampleRatio: 1.0}), no exporter.
     */
    static IngestTargets direct(Path directory) throws Exception {
        EventStore store = new EventStoreConfig().setDirectory(directory.resolve("events").toString()).open();
        Telemetry telemetry = Telemetry.create("pql-ingest-service", new TelemetryConfig());
        IngestModule module = new IngestModule(new IngestSettings(), store, telemetry, Clock.systemUTC());
        ManagedGrpcServer server = new ManagedGrpcServer("ingest", new GrpcServerConfig().setHost("127.0.0.1").setPort(0),
                module.services(), List.of(telemetry.serverInterceptor()));
        server.start();
        return new IngestTargets() {
            @Override
            public int port() {
                return server.port();
            }

            @Override
            public CallCredentials credentials() {
                return null;
            }

            @Override
            public void close() throws Exception {
                server.stop();
                module.close();
                store.close();
                telemetry.close();
            }
        };
    }

    /**
     * The all-in-one as {@code pql start} runs it (its application, the bundled all-in-one/config.yml,
     * only ports, directories and the sample load overridden), called with its local key.
     *
     * @param withScoring true: the real scoring and forecast services too, the scoring projection
     *                    following what is ingested; false: they are left out (idle modules), so
     *                    the figures are the gateway and ingest alone
     */
    static IngestTargets allInOne(Path directory, boolean withScoring) throws Exception {
        SuiteFactory suite = withScoring ? new SuiteModules() : new IngestOnlySuite();
        RunningAllInOne allInOne = new RunningAllInOne(suite, directory, Map.of(
                "sampleData.loadOnFirstStart", "false",
                "proxy.healthPeriodSeconds", "5"));
        CallCredentials key = RunningGateway.bearer(allInOne.localKey());
        return new IngestTargets() {
            @Override
            public int port() {
                return allInOne.app().gateway().grpcServer().port();
            }

            @Override
            public CallCredentials credentials() {
                return key;
            }

            @Override
            public void close() throws Exception {
                allInOne.close();
            }
        };
    }

    /** The real ingest-service; scoring and forecast present but serving nothing and running nothing. */
    final class IngestOnlySuite implements SuiteFactory {
        private final SuiteModules real = new SuiteModules();

        @Override
        public ServiceModule ingest(AllInOneConfig config, SettingsBinder settings, EventStore store, Telemetry telemetry, Clock clock) {
            return real.ingest(config, settings, store, telemetry, clock);
        }

        @Override
        public ServiceModule scoring(AllInOneConfig config, SettingsBinder settings, EventStore store, Telemetry telemetry, Clock clock) {
            return new FakeModule("scoring", List.of());
        }

        @Override
        public ServiceModule forecast(AllInOneConfig config, SettingsBinder settings, Channel scoringChannel, Telemetry telemetry,
                Clock clock) {
            return new FakeModule("forecast", List.of());
        }
    }
}
