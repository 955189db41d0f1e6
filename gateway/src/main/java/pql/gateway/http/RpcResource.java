package pql.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import pql.common.api.NameSuggestions;
import pql.common.grpc.GrpcErrors;
import pql.common.grpc.WindowedStreamReader;

/**
 * Every public gRPC method over HTTP/JSON: {@code POST /api/v1/rpc/{service}/{method}} with the
 * request message as proto3 JSON, answered with the response as proto3 JSON (a server stream as
 * NDJSON, one message per line). The call goes to the gateway's own gRPC endpoint in-process with
 * the caller's key, so the key check, the method's scope ({@code MethodScopes}), the size limits
 * and the proxying are exactly those of a gRPC caller, and an error is the gRPC status mapped as
 * every HTTP error is. Client streams take a JSON array of requests.
 */
@Path("/api/v1/rpc")
public final class RpcResource {

    static final String NDJSON = "application/x-ndjson";
    /** Stream messages the backend may send ahead of the HTTP writer. */
    private static final int STREAM_WINDOW = 256;
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .alwaysPrintFieldsWithNoPresence().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final ObjectMapper ERROR_JSON = new ObjectMapper();

    private final RpcCatalog catalog;
    private final Channel gateway;
    private final long deadlineMillis;
    private final long streamDeadlineMillis;
    private final int maxBodyBytes;

    /**
     * @param gateway              a channel to the gateway's own gRPC endpoint (in-process)
     * @param streamDeadlineMillis for server streams (exports, watches) and client streams
     * @param maxBodyBytes         the largest JSON body read
     */
    public RpcResource(RpcCatalog catalog, Channel gateway, long deadlineMillis, long streamDeadlineMillis, int maxBodyBytes) {
        this.catalog = catalog;
        this.gateway = gateway;
        this.deadlineMillis = deadlineMillis;
        this.streamDeadlineMillis = streamDeadlineMillis;
        this.maxBodyBytes = maxBodyBytes;
    }

    @POST
    @Path("/{service}/{method}")
    @Consumes(MediaType.WILDCARD)
    public Response call(@PathParam("service") String service, @PathParam("method") String method,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @HeaderParam("X-Api-Key") String apiKey,
            InputStream body) throws IOException {
        RpcCatalog.RpcMethod rpc = catalog.find(service, method).orElseThrow(() -> unknown(service, method));
        List<byte[]> requests = requests(rpc, body);
        Channel channel = ClientInterceptors.intercept(gateway, MetadataUtils.newAttachHeadersInterceptor(keyHeaders(authorization, apiKey)));
        boolean streamed = rpc.clientStreaming() || rpc.serverStreaming();
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(streamed ? streamDeadlineMillis : deadlineMillis, TimeUnit.MILLISECONDS);
        if (rpc.clientStreaming()) {
            List<byte[]> responses = clientStream(channel, rpc, options, requests);
            return rpc.serverStreaming() ? ndjson(rpc, responses.iterator(), () -> { })
                    : json(rpc, responses.isEmpty() ? new byte[0] : responses.get(0));
        }
        if (rpc.serverStreaming()) {
            WindowedStreamReader<byte[]> lines = WindowedStreamReader.start(new RawStub(channel, options), rpc.grpc(),
                    requests.get(0), STREAM_WINDOW);
            // the first message (or the error) before answering: an error is still a proper HTTP error
            try {
                lines.hasNext();
            } catch (RuntimeException e) {
                lines.close();
                throw e;
            }
            return ndjson(rpc, lines, lines::close);
        }
        return json(rpc, ClientCalls.blockingUnaryCall(channel, rpc.grpc(), options, requests.get(0)));
    }

    private StatusRuntimeException unknown(String service, String method) {
        List<String> methods = catalog.methodNames(service);
        if (methods.isEmpty()) {
            return GrpcErrors.error(Status.Code.NOT_FOUND, GrpcErrors.NOT_FOUND, "no service " + service
                    + NameSuggestions.closest(service, catalog.serviceNames()).map(best -> "; did you mean " + best + "?").orElse("")
                    + "; the services: " + String.join(", ", catalog.serviceNames()));
        }
        return GrpcErrors.error(Status.Code.NOT_FOUND, GrpcErrors.NOT_FOUND, "no method " + method + " in " + service
                + NameSuggestions.closest(method, methods).map(best -> "; did you mean " + best + "?").orElse("")
                + "; its methods: " + String.join(", ", methods));
    }

    /** The request messages in wire form: one, or for a client stream the elements of a JSON array. */
    private List<byte[]> requests(RpcCatalog.RpcMethod rpc, InputStream body) throws IOException {
        byte[] raw = body == null ? new byte[0] : body.readNBytes(maxBodyBytes + 1);
        if (raw.length > maxBodyBytes) {
            throw GrpcErrors.error(Status.Code.RESOURCE_EXHAUSTED, "MESSAGE_TOO_LARGE",
                    "the request body is over " + maxBodyBytes + " bytes");
        }
        String text = new String(raw, StandardCharsets.UTF_8).strip();
        Descriptors.Descriptor type = rpc.proto().getInputType();
        List<byte[]> requests = new ArrayList<>();
        if (!rpc.clientStreaming()) {
            requests.add(parse(type, text.isEmpty() ? "{}" : text, "the body"));
            return requests;
        }
        var array = ERROR_JSON.readTree(text.isEmpty() ? "[]" : text);
        if (!array.isArray()) {
            throw malformed(rpc.proto().getName() + " is a client stream: send a JSON array of " + type.getFullName());
        }
        for (int i = 0; i < array.size(); i++) {
            requests.add(parse(type, array.get(i).toString(), "element " + i));
        }
        return requests;
    }

    private static byte[] parse(Descriptors.Descriptor type, String json, String where) {
        DynamicMessage.Builder message = DynamicMessage.newBuilder(type);
        try {
            PARSER.merge(json, message);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw malformed(where + " is not a " + type.getFullName() + " in proto3 JSON: " + e.getMessage());
        }
        return message.build().toByteArray();
    }

    private static StatusRuntimeException malformed(String message) {
        return GrpcErrors.error(Status.Code.INVALID_ARGUMENT, GrpcErrors.MALFORMED_REQUEST, message);
    }

    /** The caller's key as the gRPC endpoint reads it; nothing when none was sent (UNAUTHENTICATED there). */
    private static Metadata keyHeaders(String authorization, String apiKey) {
        Metadata headers = new Metadata();
        if (authorization != null) {
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
        }
        if (apiKey != null) {
            headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), apiKey);
        }
        return headers;
    }

    private List<byte[]> clientStream(Channel channel, RpcCatalog.RpcMethod rpc, CallOptions options, List<byte[]> requests) {
        CompletableFuture<List<byte[]>> done = new CompletableFuture<>();
        List<byte[]> responses = new ArrayList<>();
        StreamObserver<byte[]> collector = new StreamObserver<>() {
            @Override
            public void onNext(byte[] response) {
                synchronized (responses) {
                    responses.add(response);
                }
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }

            @Override
            public void onCompleted() {
                synchronized (responses) {
                    done.complete(List.copyOf(responses));
                }
            }
        };
        var call = channel.newCall(rpc.grpc(), options);
        StreamObserver<byte[]> sender = rpc.serverStreaming() ? ClientCalls.asyncBidiStreamingCall(call, collector)
                : ClientCalls.asyncClientStreamingCall(call, collector);
        requests.forEach(sender::onNext);
        sender.onCompleted();
        try {
            return done.get(streamDeadlineMillis + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw Status.fromThrowable(e.getCause()).asRuntimeException(Status.trailersFromThrowable(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel("interrupted", e);
            throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
        } catch (TimeoutException e) {
            call.cancel("no answer", e);
            throw Status.DEADLINE_EXCEEDED.withDescription("no answer in time").asRuntimeException();
        }
    }

    private static Response json(RpcCatalog.RpcMethod rpc, byte[] response) {
        return Response.ok(print(rpc, response), MediaType.APPLICATION_JSON_TYPE.withCharset("utf-8")).build();
    }

    /** One response per line; a failure after the first line ends the body with {@code {"error": ErrorBody}}. */
    private static Response ndjson(RpcCatalog.RpcMethod rpc, java.util.Iterator<byte[]> responses, Runnable close) {
        StreamingOutput body = output -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8), 64 * 1024);
            try {
                while (responses.hasNext()) {
                    writer.write(print(rpc, responses.next()));
                    writer.write('\n');
                }
            } catch (StatusRuntimeException e) {
                writer.write("{\"error\":" + ERROR_JSON.writeValueAsString(GrpcStatusExceptionMapper.HttpErrorsSupport.body(e)) + "}\n");
            } finally {
                writer.flush();
                close.run();
            }
        };
        return Response.ok(body, NDJSON + "; charset=utf-8").header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    private static String print(RpcCatalog.RpcMethod rpc, byte[] response) {
        try {
            return PRINTER.print(DynamicMessage.parseFrom(rpc.proto().getOutputType(), response));
        } catch (InvalidProtocolBufferException e) {
            throw GrpcErrors.internal();
        }
    }

    /** A stub over a channel and call options, for {@link WindowedStreamReader}. */
    private static final class RawStub extends AbstractStub<RawStub> {
        RawStub(Channel channel, CallOptions options) {
            super(channel, options);
        }

        @Override
        protected RawStub build(Channel channel, CallOptions options) {
            return new RawStub(channel, options);
        }
    }
}
