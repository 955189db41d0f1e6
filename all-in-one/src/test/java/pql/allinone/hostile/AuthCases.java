package pql.allinone.hostile;

import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import pql.allinone.hostile.HostileCase.Expected;
import pql.allinone.hostile.HostileCase.Outcome;
import pql.allinone.hostile.HostileCase.Transport;
import pql.v1.GetForecastRequest;
import pql.v1.GetPqlMetricsRequest;
import pql.v1.IngestEventRequest;

/**
 * Keys on both transports (none, unknown, oversized, lacking the scope) and the transport's own
 * limits: a message over the gateway's limit (4 MiB) and over its transport's (16 MiB), a header
 * block over grpc.maxInboundMetadataBytes (64 KiB).
 */
final class AuthCases {

    /** The google.rpc.Status (ErrorInfo API_KEY_TOO_LONG) every error carries, as the raw trailer shows it. */
    private static final String TOO_LONG_DETAILS = java.util.Base64.getEncoder().withoutPadding().encodeToString(
            io.grpc.protobuf.StatusProto.fromThrowable(pql.common.grpc.GrpcErrors.error(Status.Code.UNAUTHENTICATED,
                    "API_KEY_TOO_LONG", "the API key is longer than 256 characters")).toByteArray());

    private static final String GET_FORECAST = "pql.v1.ForecastService/GetForecast";
    private static final String INGEST_EVENT = "pql.v1.IngestService/IngestEvent";
    private static final String INGEST_BATCH = "pql.v1.IngestService/IngestBatch";

    private final Calls calls;
    private final List<HostileCase> cases = new ArrayList<>();

    private AuthCases(Calls calls) {
        this.calls = calls;
    }

    static List<HostileCase> all(Calls calls) {
        AuthCases table = new AuthCases(calls);
        table.grpcKeys();
        table.grpcSizes();
        table.httpKeys();
        return table.cases;
    }

    private void grpcKeys() {
        String required = "an API key is required";
        grpc("GetForecast without a key", GET_FORECAST, new Metadata(), Expected.grpcMessage(Status.Code.UNAUTHENTICATED, required));
        grpc("IngestEvent without a key", INGEST_EVENT, new Metadata(), Expected.grpcMessage(Status.Code.UNAUTHENTICATED, required));
        grpc("GetForecast with an unknown bearer key", GET_FORECAST, bearer("pql_not-a-key"),
                Expected.grpcMessage(Status.Code.UNAUTHENTICATED, "unknown API key"));
        grpc("GetForecast with an unknown x-api-key", GET_FORECAST, Calls.header("x-api-key", "pql_not-a-key"),
                Expected.grpcMessage(Status.Code.UNAUTHENTICATED, "unknown API key"));
        grpc("GetForecast with an 8 KiB key", GET_FORECAST, bearer("pql_" + "x".repeat(8 * 1024)),
                Expected.grpcMessage(Status.Code.UNAUTHENTICATED, "longer than 256 characters"));
        grpc("GetForecast with a 60 KiB key", GET_FORECAST, bearer("pql_" + "x".repeat(60 * 1024)),
                Expected.grpcMessage(Status.Code.UNAUTHENTICATED, "longer than 256 characters"));
        grpc("IngestEvent with a scores:read key", INGEST_EVENT, bearer(calls.reader),
                Expected.grpcMessage(Status.Code.PERMISSION_DENIED, "lacks the scope ingest:write"));
        grpc("GetForecast with an ingest:write key", GET_FORECAST, bearer(calls.ingester),
                Expected.grpcMessage(Status.Code.PERMISSION_DENIED, "lacks the scope forecast:read"));
        grpc("PublishDefinition with a forecast:read key", "pql.v1.DefinitionService/PublishDefinition", bearer(calls.finance),
                Expected.grpcMessage(Status.Code.PERMISSION_DENIED, "lacks the scope definitions:admin"));
        grpc("StartRescore with a scores:read key", "pql.v1.DefinitionService/StartRescore", bearer(calls.reader),
                Expected.grpcMessage(Status.Code.PERMISSION_DENIED, "lacks the scope definitions:admin"));
        grpc("an unknown method without a key", "pql.v1.ScoringService/DropEverything", new Metadata(),
                Expected.grpcMessage(Status.Code.UNAUTHENTICATED, required));
        grpc("an unknown method with a key", "no.such.Service/Method", bearer(calls.allScopes),
                Expected.grpcMessage(Status.Code.PERMISSION_DENIED, "no scope grants"));
    }

    private void grpcSizes() {
        cases.add(new HostileCase("IngestBatch of 5 MiB (over grpc.maxInboundMessageBytes)", Transport.GRPC,
                () -> calls.raw(INGEST_BATCH, new byte[5 * 1024 * 1024], new Metadata(), calls.options(calls.allScopes)),
                Expected.grpcMessage(Status.Code.RESOURCE_EXHAUSTED, "exceeds the limit of 4194304 bytes")));
        cases.add(new HostileCase("IngestBatch of 5 MiB without a key", Transport.GRPC,
                () -> calls.raw(INGEST_BATCH, new byte[5 * 1024 * 1024], new Metadata(), calls.options(null)),
                Expected.grpcMessage(Status.Code.UNAUTHENTICATED, "an API key is required")));
        // Over the transport's own limit the transport refuses (one rate-limited log line); the
        // gateway used to overtake that status with CANCELLED (ForwardingCallHandler).
        cases.add(new HostileCase("IngestBatch of 17 MiB (over the transport's 16 MiB)", Transport.GRPC,
                () -> calls.raw(INGEST_BATCH, new byte[17 * 1024 * 1024], new Metadata(), calls.options(calls.allScopes)),
                Expected.grpcMessage(Status.Code.RESOURCE_EXHAUSTED, "gRPC message exceeds maximum size 16777216: 17825792")));
        cases.add(new HostileCase("IngestBatch of 17 MiB, 5 times in a row: never CANCELLED", Transport.GRPC, () -> {
            Outcome last = null;
            for (int i = 0; i < 5; i++) {
                last = calls.raw(INGEST_BATCH, new byte[17 * 1024 * 1024], new Metadata(), calls.options(calls.allScopes));
                if (!last.status().equals(Status.Code.RESOURCE_EXHAUSTED.name())) {
                    return last;
                }
            }
            return last;
        }, Expected.grpcMessage(Status.Code.RESOURCE_EXHAUSTED, "gRPC message exceeds maximum size")));
        cases.add(new HostileCase("IngestStream with a 17 MiB chunk", Transport.GRPC,
                () -> calls.stream(new byte[17 * 1024 * 1024]),
                Expected.grpcMessage(Status.Code.RESOURCE_EXHAUSTED, "gRPC message exceeds maximum size 16777216")));
        // Over grpc.maxInboundMetadataBytes nothing of gRPC runs: the server advertises the limit in
        // SETTINGS_MAX_HEADER_LIST_SIZE, and grpc-java's client refuses to send such a header
        // block itself (INTERNAL, nothing reaches the server); a client that sends it anyway gets
        // HTTP 431 from Netty's HTTP/2 codec without grpc-status (gRPC clients read UNKNOWN), and
        // the server logs one rate-limited line. See docs/LIMITS.md.
        String refusedByTheClient = "Header size exceeded max allowed size (65536)";
        Metadata huge = bearer("pql_" + "x".repeat(70 * 1024));
        cases.add(new HostileCase("GetForecast with a 70 KiB key (header block over 64 KiB)", Transport.GRPC,
                () -> calls.raw(GET_FORECAST, GetForecastRequest.getDefaultInstance().toByteArray(), huge,
                        CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS)),
                Expected.grpcMessage(Status.Code.INTERNAL, refusedByTheClient)));
        cases.add(new HostileCase("IngestEvent with the right key and 70 KiB of other headers", Transport.GRPC,
                () -> {
                    Metadata headers = bearer(calls.allScopes);
                    headers.merge(Calls.header("x-padding", "p".repeat(70 * 1024)));
                    return calls.raw(INGEST_EVENT, IngestEventRequest.getDefaultInstance().toByteArray(), headers,
                            CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
                }, Expected.grpcMessage(Status.Code.INTERNAL, refusedByTheClient)));
        cases.add(new HostileCase("GetForecast with a 70 KiB key, sent by a client that ignores SETTINGS_MAX_HEADER_LIST_SIZE",
                Transport.GRPC, () -> rawHttp2(GET_FORECAST, "Bearer pql_" + "x".repeat(70 * 1024)),
                new Expected("HTTP/2", null, "headers [:status=431]", null)));
        cases.add(new HostileCase("GetForecast with a 1 KiB key, by the same hand-written client", Transport.GRPC,
                () -> rawHttp2(GET_FORECAST, "Bearer pql_" + "x".repeat(1024)), new Expected("HTTP/2", null, "headers [:status=200, "
                        + "content-type=application/grpc, grpc-status-details-bin=" + TOO_LONG_DETAILS
                        + ", grpc-status=16, grpc-message=the API key is longer than 256 characters]", null)));
        cases.add(new HostileCase("GetPqlMetrics with 60 KiB of other headers (under 64 KiB, accepted)", Transport.GRPC,
                () -> {
                    Metadata headers = bearer(calls.allScopes);
                    headers.merge(Calls.header("x-padding", "p".repeat(60 * 1024)));
                    Outcome outcome = calls.raw("pql.v1.MetricsService/GetPqlMetrics", GetPqlMetricsRequest.getDefaultInstance().toByteArray(),
                            headers, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
                    return outcome.status().equals("OK") ? Outcome.ok("answered") : outcome;
                }, Expected.ok("answered")));
    }

    private void httpKeys() {
        http("/api/v1/scores without a key", "/api/v1/scores", null, Expected.http(401, "UNAUTHENTICATED"));
        http("/api/v1/forecast with an unknown key", "/api/v1/forecast", "pql_not-a-key", Expected.http(401, "UNAUTHENTICATED"));
        http("/api/v1/metrics with a 4 KiB key", "/api/v1/metrics", "pql_" + "x".repeat(4 * 1024), Expected.http(401, "UNAUTHENTICATED"));
        // Jetty's own limit on a request's header block (8 KiB, Dropwizard's default): 431 from the server, before any filter.
        http("/api/v1/scores with an 8 KiB key", "/api/v1/scores", "pql_" + "x".repeat(8 * 1024), Expected.http(431, "(no JSON body)"));
        http("/api/v1/forecast with a scores:read key", "/api/v1/forecast", calls.reader, Expected.http(403, "PERMISSION_DENIED"));
        http("/api/v1/forecast/lines.csv with an ingest:write key", "/api/v1/forecast/lines.csv", calls.ingester,
                Expected.http(403, "PERMISSION_DENIED"));
        http("/api/v1/scores with a forecast:read key", "/api/v1/scores", calls.finance, Expected.http(403, "PERMISSION_DENIED"));
        http("/api/v1/metrics with an ingest:write key", "/api/v1/metrics", calls.ingester, Expected.http(403, "PERMISSION_DENIED"));
        http("/api/v1/transitions/recent with a forecast:read key", "/api/v1/transitions/recent", calls.finance,
                Expected.http(403, "PERMISSION_DENIED"));
    }

    private void grpc(String name, String method, Metadata headers, Expected expected) {
        cases.add(new HostileCase(name, Transport.GRPC, () -> calls.raw(method, new byte[0], headers,
                CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS)), expected));
    }

    private void http(String name, String pathAndQuery, String key, Expected expected) {
        cases.add(new HostileCase("GET " + name, Transport.HTTP, () -> calls.http(pathAndQuery, key, body -> "answered"), expected));
    }

    /** What the server sent back to a call written as HTTP/2 frames by hand. */
    private Outcome rawHttp2(String method, String authorization) throws Exception {
        List<String> answers = RawHttp2.call(calls.allInOne.app().gateway().grpcServer().port(), method,
                java.util.Map.of("authorization", authorization));
        return new Outcome("HTTP/2", List.of(), String.join("; ", answers), "");
    }

    private static Metadata bearer(String key) {
        return Calls.header("authorization", "Bearer " + key);
    }
}
