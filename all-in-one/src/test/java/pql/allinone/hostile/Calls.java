package pql.allinone.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedOutputStream;
import com.google.rpc.BadRequest;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import pql.allinone.hostile.HostileCase.Outcome;
import pql.allinone.support.RunningAllInOne;
import pql.common.grpc.GrpcErrors;
import pql.common.grpc.RawBytesMarshaller;
import pql.gateway.support.RunningGateway;
import pql.v1.DefinitionServiceGrpc;
import pql.v1.EventResult;
import pql.v1.ForecastServiceGrpc;
import pql.v1.IngestServiceGrpc;
import pql.v1.MetricsServiceGrpc;
import pql.v1.ScoringServiceGrpc;

/** The suite's callers: stubs with a given key, raw bytes, HTTP, each answer read as an {@link Outcome}. */
final class Calls {

    private static final ObjectMapper JSON = new ObjectMapper();

    final RunningAllInOne allInOne;
    /** Every scope (the all-in-one's local key), and one key per single scope. */
    final String allScopes;
    final String reader;
    final String ingester;
    final String finance;

    Calls(RunningAllInOne allInOne, String reader, String ingester, String finance) {
        this.allInOne = allInOne;
        this.allScopes = allInOne.localKey();
        this.reader = reader;
        this.ingester = ingester;
        this.finance = finance;
    }

    CallOptions options(String key) {
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS);
        return key == null ? options : options.withCallCredentials(bearer(key));
    }

    static CallCredentials bearer(String key) {
        return RunningGateway.bearer(key);
    }

    IngestServiceGrpc.IngestServiceBlockingStub ingest() {
        return IngestServiceGrpc.newBlockingStub(allInOne.channel()).withCallCredentials(bearer(allScopes))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    ScoringServiceGrpc.ScoringServiceBlockingStub scoring() {
        return ScoringServiceGrpc.newBlockingStub(allInOne.channel()).withCallCredentials(bearer(allScopes))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    ForecastServiceGrpc.ForecastServiceBlockingStub forecast() {
        return ForecastServiceGrpc.newBlockingStub(allInOne.channel()).withCallCredentials(bearer(allScopes))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    DefinitionServiceGrpc.DefinitionServiceBlockingStub definitions() {
        return DefinitionServiceGrpc.newBlockingStub(allInOne.channel()).withCallCredentials(bearer(allScopes))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    MetricsServiceGrpc.MetricsServiceBlockingStub metrics() {
        return MetricsServiceGrpc.newBlockingStub(allInOne.channel()).withCallCredentials(bearer(allScopes))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    /** A unary gRPC call: OK with {@code describe}'s reading of the answer, or the error. */
    static <T> Outcome grpc(Supplier<T> call, Function<T, String> describe) {
        try {
            return Outcome.ok(describe.apply(call.get()));
        } catch (StatusRuntimeException error) {
            return outcomeOf(error);
        }
    }

    static Outcome outcomeOf(StatusRuntimeException error) {
        List<String> fields = GrpcErrors.fieldViolations(error).stream().map(BadRequest.FieldViolation::getField).toList();
        String reason = GrpcErrors.errorInfoOf(error).map(info -> info.getReason()).orElse(null);
        String description = error.getStatus().getDescription();
        // a transport error's cause says which side refused (e.g. the client's own HTTP/2 encoder)
        Throwable cause = error.getCause();
        return new Outcome(error.getStatus().getCode().name(), fields, reason, (description == null ? "" : description)
                + (cause == null ? "" : " [cause: " + cause + (cause.getCause() == null ? "" : " <- " + cause.getCause()) + "]"));
    }

    /** One item of a batch or chunk: its error's code and paths, or OK with its status. */
    static Outcome item(EventResult result) {
        if (result.getStatus() != EventResult.Status.STATUS_REJECTED) {
            return Outcome.ok(result.getStatus().name());
        }
        com.google.rpc.Status error = result.getError();
        List<String> fields = GrpcErrors.badRequestOf(error).map(bad -> bad.getFieldViolationsList().stream()
                .map(BadRequest.FieldViolation::getField).toList()).orElse(List.of());
        String reason = null;
        for (com.google.protobuf.Any detail : error.getDetailsList()) {
            if (detail.is(com.google.rpc.ErrorInfo.class)) {
                try {
                    reason = detail.unpack(com.google.rpc.ErrorInfo.class).getReason();
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return new Outcome(Status.fromCodeValue(error.getCode()).getCode().name(), fields, reason, error.getMessage());
    }

    /** A unary call of {@code fullMethodName} with these bytes as its request and these headers. */
    Outcome raw(String fullMethodName, byte[] request, Metadata headers, CallOptions options) {
        MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(fullMethodName)
                .setRequestMarshaller(RawBytesMarshaller.INSTANCE).setResponseMarshaller(RawBytesMarshaller.INSTANCE).build();
        var channel = ClientInterceptors.intercept(allInOne.channel(), MetadataUtils.newAttachHeadersInterceptor(headers));
        try {
            byte[] answer = ClientCalls.blockingUnaryCall(channel, method, options, request);
            return Outcome.ok(answer.length + " bytes");
        } catch (StatusRuntimeException e) {
            return outcomeOf(e);
        }
    }

    /** An IngestStream with these chunks (raw bytes): the status it ends with, or OK with the number of answers. */
    Outcome stream(byte[]... chunks) throws Exception {
        try {
            return Outcome.ok(streamAnswers(chunks).size() + " answers");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException error) {
                return outcomeOf(error);
            }
            throw e;
        }
    }

    /** Sends the chunks (raw bytes) and completes; every answer, once the server ended the call without an error. */
    List<pql.v1.IngestStreamResponse> streamAnswers(byte[]... chunks) throws Exception {
        MethodDescriptor<byte[], pql.v1.IngestStreamResponse> method = IngestServiceGrpc.getIngestStreamMethod()
                .toBuilder(RawBytesMarshaller.INSTANCE, IngestServiceGrpc.getIngestStreamMethod().getResponseMarshaller()).build();
        List<pql.v1.IngestStreamResponse> answers = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        io.grpc.stub.StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(
                allInOne.channel().newCall(method, options(allScopes)), new io.grpc.stub.StreamObserver<>() {
                    @Override
                    public void onNext(pql.v1.IngestStreamResponse value) {
                        answers.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        for (byte[] chunk : chunks) {
            requests.onNext(chunk);
        }
        requests.onCompleted();
        done.get(60, TimeUnit.SECONDS);
        return List.copyOf(answers);
    }

    static Metadata header(String name, String value) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
        return headers;
    }

    /** GET on the HTTP API: "HTTP n" with the error body's field paths and code, or what {@code describe} saw. */
    Outcome http(String pathAndQuery, String key, Function<String, String> describe) throws Exception {
        HttpResponse<String> response = allInOne.get(pathAndQuery, key);
        String status = "HTTP " + response.statusCode();
        if (response.statusCode() == 200) {
            return new Outcome(status, List.of(), describe.apply(response.body()), "");
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            return new Outcome(status, List.of(), "(no JSON body)", response.body());
        }
        List<String> fields = new ArrayList<>();
        JsonNode violations = body.path("fieldViolations");
        if (violations.isArray()) {
            violations.forEach(violation -> fields.add(violation.path("field").asText()));
        }
        return new Outcome(status, fields, body.path("code").asText(null), body.path("message").asText(""));
    }

    Outcome http(String pathAndQuery) throws Exception {
        return http(pathAndQuery, allScopes, body -> "answered");
    }

    // --- protobuf wire bytes written by hand, for what a generated builder cannot send ---

    static byte[] lengthDelimited(int number, byte[] value) {
        return write(out -> out.writeByteArray(number, value));
    }

    static byte[] varint(int number, long value) {
        return write(out -> out.writeUInt64(number, value));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private interface Writing {
        void to(CodedOutputStream out) throws IOException;
    }

    private static byte[] write(Writing writing) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            writing.to(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
