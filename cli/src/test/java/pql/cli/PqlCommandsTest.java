package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.allinone.sample.SampleDataGenerator;
import pql.allinone.sample.SampleJsonLines;
import pql.common.grpc.FieldViolations;
import pql.gateway.auth.ApiKeys;
import pql.v1.*;

/** The commands against a small fake gateway on a real port: output, summaries, errors, exit codes. */
class PqlCommandsTest {

    @TempDir
    static Path directory;
    static Server server;
    static final AtomicReference<String> authorization = new AtomicReference<>();

    @BeforeAll
    static void start() throws Exception {
        ServerInterceptor recordKey = new ServerInterceptor() {
            @Override
            public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                    ServerCallHandler<ReqT, RespT> next) {
                authorization.set(headers.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER)));
                return next.startCall(call, headers);
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(new FakeIngest(), recordKey))
                .addService(new FakeDefinitions())
                .build().start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.shutdownNow().awaitTermination();
    }

    record Run(int exitCode, String out, String err) {
    }

    private static Run pql(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 4];
        all[0] = "--target";
        all[1] = "127.0.0.1:" + server.getPort();
        all[2] = "--key";
        all[3] = "pql_test-key";
        System.arraycopy(args, 0, all, 4, args.length);
        int code = Pql.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(all);
        return new Run(code, out.toString(), err.toString());
    }

    /** Accepts events, calls "dup-*" ids duplicates and rejects product actions without a user, per item. */
    static final class FakeIngest extends IngestServiceGrpc.IngestServiceImplBase {
        @Override
        public void ingestBatch(IngestBatchRequest request, StreamObserver<IngestBatchResponse> response) {
            int accepted = 0;
            IngestBatchResponse.Builder answer = IngestBatchResponse.newBuilder();
            for (int i = 0; i < request.getEventsCount(); i++) {
                answer.addResults(EventResult.newBuilder().setIndex(i).setEventId(request.getEvents(i).getEventId())
                        .setStatus(EventResult.Status.STATUS_ACCEPTED));
                accepted++;
            }
            response.onNext(answer.setAccepted(accepted).build());
            response.onCompleted();
        }

        @Override
        public void ingestEvent(IngestEventRequest request, StreamObserver<IngestEventResponse> response) {
            response.onNext(IngestEventResponse.newBuilder().setResult(EventResult.newBuilder()
                    .setEventId(request.getEvent().getEventId()).setStatus(EventResult.Status.STATUS_ACCEPTED)).build());
            response.onCompleted();
        }

        @Override
        public StreamObserver<IngestStreamRequest> ingestStream(StreamObserver<IngestStreamResponse> response) {
            return new StreamObserver<>() {
                @Override
                public void onNext(IngestStreamRequest chunk) {
                    IngestStreamResponse.Builder answer = IngestStreamResponse.newBuilder().setSequence(chunk.getSequence());
                    for (int i = 0; i < chunk.getEventsCount(); i++) {
                        Event event = chunk.getEvents(i);
                        EventResult.Builder result = EventResult.newBuilder().setIndex(i).setEventId(event.getEventId());
                        if (event.hasProductAction() && event.getProductAction().getUserId().isEmpty()) {
                            result.setStatus(EventResult.Status.STATUS_REJECTED).setError(
                                    new FieldViolations().add("product_action.user_id", "is required").toStatus("invalid event"));
                            answer.setRejected(answer.getRejected() + 1);
                        } else if (event.getEventId().startsWith("dup-")) {
                            result.setStatus(EventResult.Status.STATUS_DUPLICATE);
                            answer.setDuplicates(answer.getDuplicates() + 1);
                        } else {
                            result.setStatus(EventResult.Status.STATUS_ACCEPTED);
                            answer.setAccepted(answer.getAccepted() + 1);
                        }
                        answer.addResults(result);
                    }
                    response.onNext(answer.build());
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    response.onCompleted();
                }
            };
        }
    }

    static final class FakeDefinitions extends DefinitionServiceGrpc.DefinitionServiceImplBase {
        @Override
        public void publishDefinition(PublishDefinitionRequest request, StreamObserver<PublishDefinitionResponse> response) {
            if (request.getDefinition().getActivation().getStepsCount() == 0) {
                response.onError(new FieldViolations()
                        .add("definition.activation.steps", "at least one step is required")
                        .add("definition.pql.mid_threshold", "must be within 0..1")
                        .toException("invalid definition"));
                return;
            }
            response.onNext(PublishDefinitionResponse.newBuilder().setVersion(2)
                    .addWarnings(DefinitionWarning.newBuilder().setField("activation.steps").setMessage("fewer than 5 steps")).build());
            response.onCompleted();
        }
    }

    @Test
    void ingestJsonLinesStreamsEverythingAndSummarises() throws Exception {
        List<Event> events = SampleDataGenerator.generate(30, 5, java.time.Instant.parse("2025-06-01T00:00:00Z"));
        Path file = directory.resolve("sample.jsonl");
        try (var writer = Files.newBufferedWriter(file)) {
            SampleJsonLines.write(events, writer);
            writer.write("{\"eventId\": \"broken\", \"unknownField\": 1}\n");
        }

        Run run = pql("ingest", "--chunk", "500", file.toString());

        assertThat(run.exitCode()).isEqualTo(IngestCommand.SOME_REJECTED);
        assertThat(run.out()).contains("accepted " + String.format("%,d", events.size()) + ", duplicates 0, rejected 0, unreadable 1");
        assertThat(run.out()).contains("unreadable: not a pql.v1.Event in JSON").contains("(lines " + (events.size() + 1) + ")");
        assertThat(run.err()).contains("ingest: 100% " + String.format("%,d", events.size()) + " sent");
        assertThat(authorization.get()).isEqualTo("Bearer pql_test-key");
    }

    @Test
    void ingestCsvReportsRejectionsByReasonWithTheirLines() throws Exception {
        Path file = directory.resolve("events.csv");
        Files.writeString(file, """
                event_id,account_id,occurred_at,kind,user_id,action
                e1,acme,2025-03-01T10:00:00Z,product_action,u1,login
                dup-1,acme,2025-03-01T10:00:00Z,product_action,u1,login
                e3,acme,2025-03-01T10:00:00Z,product_action,,login
                e4,acme,2025-03-01T10:00:00Z,product_action,,report_created
                """);

        Run run = pql("ingest", "--quiet", file.toString());

        assertThat(run.out()).contains("accepted 1, duplicates 1, rejected 2");
        assertThat(run.out()).contains("2  product_action.user_id: is required  (lines 4, 5)");
        assertThat(run.exitCode()).isEqualTo(IngestCommand.SOME_REJECTED);
    }

    @Test
    void errorsPrintTheStatusAndEachFieldViolationOnItsOwnLine() throws Exception {
        Path file = directory.resolve("bad.yaml");
        Files.writeString(file, """
                name: "v2: no steps"
                product_complexity: PRODUCT_COMPLEXITY_INTERMEDIATE
                pql:
                  mid_threshold: 5
                """);

        Run run = pql("definitions", "publish", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines().toList()).containsExactly(
                "error: INVALID_ARGUMENT: invalid definition: definition.activation.steps: at least one step is required; "
                        + "definition.pql.mid_threshold: must be within 0..1",
                "  definition.activation.steps: at least one step is required",
                "  definition.pql.mid_threshold: must be within 0..1");
    }

    @Test
    void publishPrintsTheVersionAndWarnings() throws Exception {
        Path file = directory.resolve("good.yaml");
        Files.writeString(file, """
                name: v2
                product_complexity: PRODUCT_COMPLEXITY_INTERMEDIATE
                activation:
                  steps:
                    - {key: workspace_created, action: workspace_created, min_count: 1}
                """);
        Run run = pql("definitions", "publish", file.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("warning: activation.steps: fewer than 5 steps", "published version 2");
    }

    @Test
    void benchIngestReportsThroughputLatenciesAndClientCpuOfEachCallShape() {
        Run run = pql("bench", "ingest", "--events", "3000", "--chunk", "500", "--accounts", "10", "--warm-up-events", "1000",
                "--calls", "stream,batch", "--unary-rate", "200", "--unary-seconds", "1", "--unary-warm-up-seconds", "0");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("ingest stream \\(2 streams, chunks of 500, 8 in flight each, 10 events per account; "
                + "latency per chunk\\): 3,000 events in [0-9.]+ s = [0-9,]+ events/s; latency ms p50 [0-9.]+, p90 [0-9.]+, p99 [0-9.]+, "
                + "max [0-9.]+ \\(6 samples\\); client CPU [0-9.]+ us/event");
        assertThat(run.out()).containsPattern("ingest batch \\(500 per call, 8 in flight, 10 events per account; latency per call\\): "
                + "3,000 events in [0-9.]+ s = [0-9,]+ events/s; latency ms p50 [0-9.]+, p90 [0-9.]+, p99 [0-9.]+, max [0-9.]+ "
                + "\\(6 samples\\)");
        assertThat(run.out()).containsPattern("ingest unary paced at 200/s for 1 s \\(open loop\\): achieved [0-9,]+/s; latency ms p50 "
                + "[0-9.]+, p90 [0-9.]+, p99 [0-9.]+, p99.9 [0-9.]+, max [0-9.]+; 0 failed");
        assertThat(run.out()).containsPattern("load average [0-9.]+");
    }

    @Test
    void anUnreachableGatewayIsUnavailableWithAHint() {
        StringWriter err = new StringWriter();
        int code = Pql.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                .execute("--target", "127.0.0.1:1", "scores");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("error: UNAVAILABLE").contains("hint: is the gateway running?");
    }

    @Test
    void keysCreatePrintsAKeyAndTheHashLineForTheYaml() {
        Run run = pql("keys", "create", "--yaml", "finance", "--scopes", "forecast:read,scores:read");
        String key = run.out().lines().findFirst().orElseThrow().replace("key (shown once, keep it secret): ", "");
        assertThat(key).startsWith("pql_").hasSize(47);
        assertThat(run.out()).contains("  - {name: finance, sha256: " + ApiKeys.sha256Hex(key) + ", scopes: [scores:read, forecast:read]}");

        Run bad = pql("keys", "create", "x", "--scopes", "everything");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown scope 'everything'");
    }
}
