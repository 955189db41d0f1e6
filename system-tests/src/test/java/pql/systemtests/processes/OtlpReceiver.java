package pql.systemtests.processes;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.InsecureServerCredentials;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import pql.common.grpc.RawBytesMarshaller;

/**
 * Stands in for the OpenTelemetry collector's OTLP/gRPC receiver: accepts the services' trace
 * and metric exports on a loopback port and keeps what they carried. The OTLP messages are read
 * field by field (their field numbers are OTLP's stable wire format), so no collector or OTLP
 * proto classes are needed.
 */
final class OtlpReceiver implements AutoCloseable {

    /** A span as exported: its service (resource {@code service.name}) and identity. */
    record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name, int kind,
            List<String> linkedSpanIds) {
    }

    /** A metric as exported: its service and name. */
    record ReceivedMetric(String service, String name) {
    }

    static final int KIND_INTERNAL = 1;
    static final int KIND_SERVER = 2;
    static final int KIND_CLIENT = 3;

    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<ReceivedMetric> metrics = new CopyOnWriteArrayList<>();
    private final Server server;

    OtlpReceiver() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create())
                .addService(export("opentelemetry.proto.collector.trace.v1.TraceService", this::traces))
                .addService(export("opentelemetry.proto.collector.metrics.v1.MetricsService", this::metrics))
                .build().start();
    }

    /** The endpoint to give the services, as OTEL_EXPORTER_OTLP_ENDPOINT. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getPort();
    }

    List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    List<ReceivedMetric> metrics() {
        return List.copyOf(metrics);
    }

    private interface Handler {
        void accept(UnknownFieldSet request) throws InvalidProtocolBufferException;
    }

    /** A service with one unary method, Export, answering the empty (valid) Export*ServiceResponse. */
    private static ServerServiceDefinition export(String service, Handler handler) {
        MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(service, "Export"))
                .setRequestMarshaller(RawBytesMarshaller.INSTANCE).setResponseMarshaller(RawBytesMarshaller.INSTANCE).build();
        return ServerServiceDefinition.builder(service)
                .addMethod(method, ServerCalls.asyncUnaryCall((request, response) -> {
                    try {
                        handler.accept(UnknownFieldSet.parseFrom(request));
                        response.onNext(new byte[0]);
                        response.onCompleted();
                    } catch (InvalidProtocolBufferException e) {
                        response.onError(io.grpc.Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
                    }
                })).build();
    }

    // ExportTraceServiceRequest: 1 resource_spans; ResourceSpans: 1 resource, 2 scope_spans;
    // ScopeSpans: 2 spans; Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 6 kind, 13 links;
    // Link: 1 trace_id, 2 span_id.
    private void traces(UnknownFieldSet request) throws InvalidProtocolBufferException {
        for (ByteString resourceSpans : lengthDelimited(request, 1)) {
            UnknownFieldSet rs = UnknownFieldSet.parseFrom(resourceSpans);
            String service = serviceName(rs);
            for (ByteString scopeSpans : lengthDelimited(rs, 2)) {
                for (ByteString spanBytes : lengthDelimited(UnknownFieldSet.parseFrom(scopeSpans), 2)) {
                    UnknownFieldSet span = UnknownFieldSet.parseFrom(spanBytes);
                    List<String> links = new ArrayList<>();
                    for (ByteString link : lengthDelimited(span, 13)) {
                        links.add(hex(first(UnknownFieldSet.parseFrom(link), 2)));
                    }
                    int kind = span.hasField(6) && !span.getField(6).getVarintList().isEmpty()
                            ? span.getField(6).getVarintList().get(0).intValue() : 0;
                    spans.add(new ReceivedSpan(service, hex(first(span, 1)), hex(first(span, 2)), hex(first(span, 4)),
                            first(span, 5).toStringUtf8(), kind, links));
                }
            }
        }
    }

    // ExportMetricsServiceRequest: 1 resource_metrics; ResourceMetrics: 1 resource, 2 scope_metrics;
    // ScopeMetrics: 2 metrics; Metric: 1 name.
    private void metrics(UnknownFieldSet request) throws InvalidProtocolBufferException {
        for (ByteString resourceMetrics : lengthDelimited(request, 1)) {
            UnknownFieldSet rm = UnknownFieldSet.parseFrom(resourceMetrics);
            String service = serviceName(rm);
            for (ByteString scopeMetrics : lengthDelimited(rm, 2)) {
                for (ByteString metric : lengthDelimited(UnknownFieldSet.parseFrom(scopeMetrics), 2)) {
                    metrics.add(new ReceivedMetric(service, first(UnknownFieldSet.parseFrom(metric), 1).toStringUtf8()));
                }
            }
        }
    }

    // Resource: 1 attributes; KeyValue: 1 key, 2 value; AnyValue: 1 string_value.
    private static String serviceName(UnknownFieldSet resourceHolder) throws InvalidProtocolBufferException {
        UnknownFieldSet resource = UnknownFieldSet.parseFrom(first(resourceHolder, 1));
        for (ByteString attribute : lengthDelimited(resource, 1)) {
            UnknownFieldSet keyValue = UnknownFieldSet.parseFrom(attribute);
            if (first(keyValue, 1).toStringUtf8().equals("service.name")) {
                return first(UnknownFieldSet.parseFrom(first(keyValue, 2)), 1).toStringUtf8();
            }
        }
        return "";
    }

    private static List<ByteString> lengthDelimited(UnknownFieldSet message, int field) {
        return message.hasField(field) ? message.getField(field).getLengthDelimitedList() : List.of();
    }

    private static ByteString first(UnknownFieldSet message, int field) {
        List<ByteString> values = lengthDelimited(message, field);
        return values.isEmpty() ? ByteString.EMPTY : values.get(0);
    }

    private static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }
}
