package pql.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import com.google.rpc.BadRequest;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import pql.common.grpc.FieldViolations;
import pql.common.grpc.GrpcErrors;

/**
 * The raw-bytes proxy against an in-process test backend with every call shape, once with the
 * proxy's callbacks on the transports' threads (direct executors, as the gateway runs it) and once
 * on executor threads.
 */
@ParameterizedClass(name = "proxy callbacks on {0} threads")
@EnumSource(ForwardingCallHandlerTest.Threads.class)
class ForwardingCallHandlerTest {

    enum Threads { TRANSPORT, EXECUTOR }

    @Parameter
    Threads threads;

    private static final Metadata.Key<String> CUSTOM = Metadata.Key.of("x-custom", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final String backendName = "backend-" + UUID.randomUUID();
    private final String gatewayName = "gateway-" + UUID.randomUUID();
    private final AtomicReference<Metadata> headersSeenByBackend = new AtomicReference<>();
    private final AtomicReference<Deadline> deadlineSeenByBackend = new AtomicReference<>();
    private final CountDownLatch backendSawCancel = new CountDownLatch(1);
    private final AtomicInteger streamedByBackend = new AtomicInteger();
    private Server backend;
    private Server gateway;
    private ManagedChannel backendChannel;
    private ManagedChannel client;

    @BeforeEach
    void start() throws Exception {
        backend = InProcessServerBuilder.forName(backendName)
                .addService(ServerInterceptors.intercept(backendService(), recordHeaders()))
                .build().start();
        InProcessChannelBuilder backendChannelBuilder = InProcessChannelBuilder.forName(backendName);
        InProcessServerBuilder gatewayBuilder = InProcessServerBuilder.forName(gatewayName);
        if (threads == Threads.TRANSPORT) {
            backendChannelBuilder.directExecutor();
            gatewayBuilder.directExecutor();
        }
        backendChannel = backendChannelBuilder.build();
        gateway = gatewayBuilder
                .addService(ProxyServices.forward(EchoService.DESCRIPTOR, backendChannel, () -> "tester"))
                .build().start();
        client = InProcessChannelBuilder.forName(gatewayName).build();
    }

    @AfterEach
    void stop() throws Exception {
        client.shutdownNow();
        backendChannel.shutdownNow();
        gateway.shutdownNow().awaitTermination();
        backend.shutdownNow().awaitTermination();
    }

    private ServerInterceptor recordHeaders() {
        return new ServerInterceptor() {
            @Override
            public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                    ServerCallHandler<ReqT, RespT> next) {
                headersSeenByBackend.set(headers);
                deadlineSeenByBackend.set(Context.current().getDeadline());
                return next.startCall(call, headers);
            }
        };
    }

    private ServerServiceDefinition backendService() {
        return ServerServiceDefinition.builder(EchoService.DESCRIPTOR)
                .addMethod(EchoService.UNARY, ServerCalls.asyncUnaryCall(this::unary))
                .addMethod(EchoService.SERVER_STREAMING, ServerCalls.asyncServerStreamingCall(this::serverStreaming))
                .addMethod(EchoService.CLIENT_STREAMING, ServerCalls.asyncClientStreamingCall(this::clientStreaming))
                .addMethod(EchoService.BIDI, ServerCalls.asyncBidiStreamingCall(this::bidi))
                .build();
    }

    private void unary(StringValue request, StreamObserver<StringValue> response) {
        switch (request.getValue()) {
            case "invalid" -> response.onError(new FieldViolations()
                    .add("event.account_id", "is required")
                    .add("event.product_action.quantity", "must be >= 0")
                    .toException("invalid request"));
            case "not-found" -> {
                Metadata trailers = new Metadata();
                trailers.put(CUSTOM, "from-backend");
                response.onError(Status.NOT_FOUND.withDescription("no account acme").asRuntimeException(trailers));
            }
            case "hang" -> {
                ServerCallStreamObserver<StringValue> server = (ServerCallStreamObserver<StringValue>) response;
                server.setOnCancelHandler(backendSawCancel::countDown);
            }
            default -> {
                response.onNext(EchoService.text("echo " + request.getValue()));
                response.onCompleted();
            }
        }
    }

    private void serverStreaming(StringValue request, StreamObserver<StringValue> response) {
        ServerCallStreamObserver<StringValue> server = (ServerCallStreamObserver<StringValue>) response;
        server.setOnCancelHandler(backendSawCancel::countDown);
        if (request.getValue().equals("endless")) {
            // Produce only while the transport says the consumer can take more (flow control).
            server.setOnReadyHandler(() -> {
                while (server.isReady() && !server.isCancelled()) {
                    server.onNext(EchoService.text("item " + streamedByBackend.incrementAndGet()));
                }
            });
            return;
        }
        int count = Integer.parseInt(request.getValue());
        for (int i = 0; i < count; i++) {
            server.onNext(EchoService.text("item " + i));
        }
        if (count == 3) {
            server.onError(Status.ABORTED.withDescription("stopped after three").asRuntimeException());
            return;
        }
        server.onCompleted();
    }

    private StreamObserver<StringValue> clientStreaming(StreamObserver<StringValue> response) {
        return new StreamObserver<>() {
            private final StringBuilder joined = new StringBuilder();

            @Override
            public void onNext(StringValue value) {
                joined.append(value.getValue());
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                response.onNext(EchoService.text(joined.toString()));
                response.onCompleted();
            }
        };
    }

    private StreamObserver<StringValue> bidi(StreamObserver<StringValue> response) {
        return new StreamObserver<>() {
            @Override
            public void onNext(StringValue value) {
                response.onNext(EchoService.text(value.getValue().toUpperCase()));
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

    @Test
    void unaryCallIsForwardedWithThePrincipalButNotTheCredentials() {
        Metadata extra = new Metadata();
        extra.put(CUSTOM, "kept");
        extra.put(AUTHORIZATION, "Bearer secret-key");
        extra.put(ForwardedHeaders.PRINCIPAL, "spoofed-admin");

        StringValue answer = ClientCalls.blockingUnaryCall(
                io.grpc.ClientInterceptors.intercept(client, MetadataUtils.newAttachHeadersInterceptor(extra)),
                EchoService.UNARY, CallOptions.DEFAULT, EchoService.text("hello"));

        assertThat(answer.getValue()).isEqualTo("echo hello");
        Metadata seen = headersSeenByBackend.get();
        assertThat(seen.get(CUSTOM)).isEqualTo("kept");
        assertThat(seen.getAll(ForwardedHeaders.PRINCIPAL)).containsExactly("tester");
        assertThat(seen.containsKey(AUTHORIZATION)).isFalse();
    }

    @Test
    void serverStreamingDeliversEveryMessageInOrder() {
        Iterator<StringValue> items = ClientCalls.blockingServerStreamingCall(client, EchoService.SERVER_STREAMING,
                CallOptions.DEFAULT, EchoService.text("2000"));
        List<String> received = new ArrayList<>();
        items.forEachRemaining(item -> received.add(item.getValue()));

        assertThat(received).hasSize(2000);
        assertThat(received.get(0)).isEqualTo("item 0");
        assertThat(received.get(1999)).isEqualTo("item 1999");
    }

    @Test
    void serverStreamingErrorArrivesAfterTheMessagesSentBeforeIt() {
        Iterator<StringValue> items = ClientCalls.blockingServerStreamingCall(client, EchoService.SERVER_STREAMING,
                CallOptions.DEFAULT, EchoService.text("3"));
        List<String> received = new ArrayList<>();
        assertThatThrownBy(() -> items.forEachRemaining(item -> received.add(item.getValue())))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
                    assertThat(e.getStatus().getDescription()).isEqualTo("stopped after three");
                });
        assertThat(received).containsExactly("item 0", "item 1", "item 2");
    }

    @Test
    void clientStreamingSendsEveryChunkThenGetsOneAnswer() throws Exception {
        LinkedBlockingQueue<Object> answers = new LinkedBlockingQueue<>();
        StreamObserver<StringValue> requests = io.grpc.stub.ClientCalls.asyncClientStreamingCall(
                client.newCall(EchoService.CLIENT_STREAMING, CallOptions.DEFAULT), collectInto(answers));
        for (int i = 0; i < 100; i++) {
            requests.onNext(EchoService.text(Integer.toString(i % 10)));
        }
        requests.onCompleted();

        Object answer = answers.poll(10, TimeUnit.SECONDS);
        assertThat(answer).isInstanceOf(StringValue.class);
        assertThat(((StringValue) answer).getValue()).isEqualTo("0123456789".repeat(10));
        assertThat(answers.poll(10, TimeUnit.SECONDS)).isEqualTo("completed");
    }

    @Test
    void bidiStreamingAnswersEachMessage() throws Exception {
        LinkedBlockingQueue<Object> answers = new LinkedBlockingQueue<>();
        StreamObserver<StringValue> requests = io.grpc.stub.ClientCalls.asyncBidiStreamingCall(
                client.newCall(EchoService.BIDI, CallOptions.DEFAULT), collectInto(answers));
        for (String word : List.of("alpha", "beta", "gamma")) {
            requests.onNext(EchoService.text(word));
            assertThat(((StringValue) answers.poll(10, TimeUnit.SECONDS)).getValue()).isEqualTo(word.toUpperCase());
        }
        requests.onCompleted();
        assertThat(answers.poll(10, TimeUnit.SECONDS)).isEqualTo("completed");
    }

    @Test
    void fieldViolationsInTheStatusDetailsPassThrough() {
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(client, EchoService.UNARY, CallOptions.DEFAULT,
                EchoService.text("invalid")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    List<BadRequest.FieldViolation> violations = GrpcErrors.fieldViolations(e);
                    assertThat(violations).extracting(BadRequest.FieldViolation::getField)
                            .containsExactly("event.account_id", "event.product_action.quantity");
                    assertThat(violations.get(1).getDescription()).isEqualTo("must be >= 0");
                });
    }

    @Test
    void statusDescriptionAndCustomTrailersPassThrough() {
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(client, EchoService.UNARY, CallOptions.DEFAULT,
                EchoService.text("not-found")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).isEqualTo("no account acme");
                    assertThat(e.getTrailers().get(CUSTOM)).isEqualTo("from-backend");
                });
    }

    @Test
    void theCallersDeadlineBoundsTheBackendCall() throws Exception {
        Deadline deadline = Deadline.after(300, TimeUnit.MILLISECONDS);
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(client, EchoService.UNARY,
                CallOptions.DEFAULT.withDeadline(deadline), EchoService.text("hang")))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));

        Deadline seen = deadlineSeenByBackend.get();
        assertThat(seen).isNotNull();
        assertThat(seen.timeRemaining(TimeUnit.MILLISECONDS)).isLessThanOrEqualTo(300);
        assertThat(backendSawCancel.await(10, TimeUnit.SECONDS)).as("backend call cancelled at the deadline").isTrue();
    }

    @Test
    void cancellingTheCallerCancelsTheBackendCall() throws Exception {
        ClientCall<StringValue, StringValue> call = client.newCall(EchoService.SERVER_STREAMING, CallOptions.DEFAULT);
        Iterator<StringValue> items = ClientCalls.blockingServerStreamingCall(call, EchoService.text("endless"));
        assertThat(items.next().getValue()).startsWith("item ");

        call.cancel("the test lost interest", null);

        assertThat(backendSawCancel.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aSlowCallerSlowsTheBackendInsteadOfFillingTheGateway() throws Exception {
        LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
        AtomicReference<ClientCallStreamObserver<StringValue>> requestStream = new AtomicReference<>();
        ClientCalls.asyncServerStreamingCall(client.newCall(EchoService.SERVER_STREAMING, CallOptions.DEFAULT),
                EchoService.text("endless"), new ClientResponseObserver<StringValue, StringValue>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<StringValue> stream) {
                        requestStream.set(stream);
                        stream.disableAutoRequestWithInitial(5);
                    }

                    @Override
                    public void onNext(StringValue value) {
                        received.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        for (int i = 0; i < 5; i++) {
            assertThat(received.poll(10, TimeUnit.SECONDS)).isNotNull();
        }
        // An unbuffered, flow-controlled path lets the backend run only a few messages ahead.
        Thread.sleep(500);
        assertThat(streamedByBackend.get()).isLessThan(50);

        requestStream.get().request(20);
        for (int i = 0; i < 20; i++) {
            assertThat(received.poll(10, TimeUnit.SECONDS)).isNotNull();
        }
        requestStream.get().cancel("done", null);
        assertThat(backendSawCancel.await(10, TimeUnit.SECONDS)).isTrue();
    }

    private static StreamObserver<StringValue> collectInto(LinkedBlockingQueue<Object> answers) {
        return new StreamObserver<>() {
            @Override
            public void onNext(StringValue value) {
                answers.add(value);
            }

            @Override
            public void onError(Throwable t) {
                answers.add(t);
            }

            @Override
            public void onCompleted() {
                answers.add("completed");
            }
        };
    }
}
