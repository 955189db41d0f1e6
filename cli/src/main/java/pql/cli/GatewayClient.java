package pql.cli;

import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.AbstractStub;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import pql.v1.AlertServiceGrpc;
import pql.v1.DefinitionServiceGrpc;
import pql.v1.ForecastServiceGrpc;
import pql.v1.IngestErrorServiceGrpc;
import pql.v1.IngestServiceGrpc;
import pql.v1.MetricsServiceGrpc;
import pql.v1.ScoringServiceGrpc;

/** One connection to the gateway with the caller's key on every call. */
final class GatewayClient implements AutoCloseable {

    private final ManagedChannel channel;
    private final CallCredentials credentials;
    private final long deadlineSeconds;

    private GatewayClient(ManagedChannel channel, CallCredentials credentials, long deadlineSeconds) {
        this.channel = channel;
        this.credentials = credentials;
        this.deadlineSeconds = deadlineSeconds;
    }

    static GatewayClient open(String target, String key, boolean tls, String caFile, long deadlineSeconds) {
        ChannelCredentials transport;
        if (tls || caFile != null) {
            TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
            if (caFile != null) {
                try {
                    builder.trustManager(new File(caFile));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the CA file " + caFile, e);
                }
            }
            transport = builder.build();
        } else {
            transport = InsecureChannelCredentials.create();
        }
        ManagedChannel channel = Grpc.newChannelBuilder(target, transport)
                .maxInboundMessageSize(64 * 1024 * 1024)
                .userAgent("pql-cli/0.1.0")
                .build();
        return new GatewayClient(channel, key == null ? null : bearer(key), deadlineSeconds);
    }

    static CallCredentials bearer(String key) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata headers = new Metadata();
                headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
                applier.apply(headers);
            }
        };
    }

    private <S extends AbstractStub<S>> S prepare(S stub, boolean withDeadline) {
        S prepared = credentials == null ? stub : stub.withCallCredentials(credentials);
        return withDeadline ? prepared.withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS) : prepared;
    }

    IngestServiceGrpc.IngestServiceStub ingestStreaming() {
        return prepare(IngestServiceGrpc.newStub(channel), false);
    }

    /** For one call or a few: the deadline counts from now. */
    IngestServiceGrpc.IngestServiceFutureStub ingestAsync() {
        return prepare(IngestServiceGrpc.newFutureStub(channel), true);
    }

    IngestServiceGrpc.IngestServiceBlockingStub ingest() {
        return prepare(IngestServiceGrpc.newBlockingStub(channel), true);
    }

    IngestErrorServiceGrpc.IngestErrorServiceBlockingStub ingestErrors() {
        return prepare(IngestErrorServiceGrpc.newBlockingStub(channel), true);
    }

    ScoringServiceGrpc.ScoringServiceBlockingStub scoring() {
        return prepare(ScoringServiceGrpc.newBlockingStub(channel), true);
    }

    ScoringServiceGrpc.ScoringServiceBlockingStub scoringExport() {
        return prepare(ScoringServiceGrpc.newBlockingStub(channel), false);
    }

    DefinitionServiceGrpc.DefinitionServiceBlockingStub definitions() {
        return prepare(DefinitionServiceGrpc.newBlockingStub(channel), true);
    }

    AlertServiceGrpc.AlertServiceBlockingStub alerts() {
        return prepare(AlertServiceGrpc.newBlockingStub(channel), true);
    }

    pql.v1.KeyServiceGrpc.KeyServiceBlockingStub keys() {
        return prepare(pql.v1.KeyServiceGrpc.newBlockingStub(channel), true);
    }

    ForecastServiceGrpc.ForecastServiceBlockingStub forecast() {
        return prepare(ForecastServiceGrpc.newBlockingStub(channel), true);
    }

    /** No deadline: an export of every line may take a while; the caller can interrupt it. */
    ForecastServiceGrpc.ForecastServiceBlockingStub forecastExport() {
        return prepare(ForecastServiceGrpc.newBlockingStub(channel), false);
    }

    MetricsServiceGrpc.MetricsServiceBlockingStub metrics() {
        return prepare(MetricsServiceGrpc.newBlockingStub(channel), true);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
