package pql.forecast.support;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import pql.common.telemetry.Telemetry;
import pql.forecast.ForecastModule;
import pql.forecast.ForecastSettings;
import pql.v1.ForecastServiceGrpc;

/**
 * A ForecastModule served over in-process gRPC, reading from a {@link ScoringServiceFixture} over
 * gRPC too, with the server's clock fixed at {@code now}.
 */
public final class ForecastHarness implements AutoCloseable {

    private final ManagedChannel scoringChannel;
    private final ForecastModule module;
    private final Server server;
    private final ManagedChannel channel;

    public ForecastHarness(ScoringServiceFixture scoring, Instant now) throws IOException {
        scoringChannel = InProcessChannelBuilder.forName(scoring.name()).directExecutor().build();
        module = new ForecastModule(new ForecastSettings().setWarmOnStart(false), scoringChannel, Telemetry.noop(),
                Clock.fixed(now, ZoneOffset.UTC));
        module.start();
        String name = "forecast-" + UUID.randomUUID();
        InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
        module.services().forEach(builder::addService);
        server = builder.build().start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    public ForecastServiceGrpc.ForecastServiceBlockingStub forecasts() {
        return ForecastServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    public ForecastModule module() {
        return module;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        server.shutdownNow();
        module.close();
        scoringChannel.shutdownNow();
    }
}
