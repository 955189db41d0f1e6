package pql.gateway.audit;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pql.gateway.auth.Caller;
import pql.gateway.proxy.ForwardedHeaders;

/**
 * Who exported what and who changed the definitions: one JSON line on the logger {@code pql.audit}
 * per audited call ({@link AuditedMethods}), written when the call ends, e.g.
 * <pre>
 * {"audit":"export","principal":"finance","method":"pql.v1.ForecastService/StreamForecastLines","via":"http",
 *  "params":{"filter":{"personas":["PERSONA_GOLDEN_LEAD"]}},"status":"OK","rows":412,"duration_ms":38}
 * </pre>
 * It sits on the gateway's channels to the backends, so every path that reaches a backend is
 * covered alike: the gRPC proxy ({@code via: grpc}) and the HTTP resources ({@code via: http}).
 * The principal is the API key's name as the gateway forwards it ({@code pql-principal}); keys
 * and headers are never written. Rows are counted as they stream back, so an export cut short
 * shows the rows actually sent and its status (e.g. CANCELLED).
 */
public final class AuditLog implements ClientInterceptor {

    /** The logger name: route it to its own appender, or silence it with {@code pql.audit: OFF}. */
    public static final String LOGGER = "pql.audit";

    private static final Logger AUDIT = LoggerFactory.getLogger(LOGGER);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFormat.Printer PARAMS = JsonFormat.printer().omittingInsignificantWhitespace();

    /**
     * Lets the audit lines through even when the root level is WARN (the bundled configs): only
     * an operator who names {@code pql.audit} in {@code logging.loggers} decides otherwise. Called
     * once the logging configuration is in place.
     */
    public void ensureWritten() {
        if (AUDIT instanceof ch.qos.logback.classic.Logger logback && logback.getLevel() == null) {
            logback.setLevel(Level.INFO);
        }
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method, CallOptions options,
            Channel next) {
        AuditedMethod audited = AuditedMethods.of(method.getFullMethodName());
        ClientCall<ReqT, RespT> call = next.newCall(method, options);
        if (audited == null) {
            return call;
        }
        // the gRPC proxy forwards inside the caller's authenticated call; the HTTP resources outside any
        String via = Caller.CURRENT.get() != null ? "grpc" : "http";
        return new AuditedCall<>(call, new Line(audited, method.getFullMethodName(), via));
    }

    /** What one audited call has shown so far. */
    private static final class Line {
        private final AuditedMethod audited;
        private final String method;
        private final String via;
        private final long started = System.nanoTime();
        // set on the calling thread, read when the call ends on a transport thread
        private volatile String principal;
        private volatile Message params;
        private long rows;
        private int version;

        Line(AuditedMethod audited, String method, String via) {
            this.audited = audited;
            this.method = method;
            this.via = via;
        }

        void write(Status status) {
            ObjectNode line = JSON.createObjectNode()
                    .put("audit", audited.kind())
                    .put("principal", principal)
                    .put("method", method)
                    .put("via", via);
            line.set("params", params(params));
            line.put("status", status.getCode().name());
            if (audited.rowsField() != AuditedMethod.NO_ROWS) {
                line.put("rows", rows);
            }
            if (version > 0) {
                line.put("version", version);
            }
            line.put("duration_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            AUDIT.info(line.toString());
        }

        private static com.fasterxml.jackson.databind.JsonNode params(Message params) {
            if (params == null) {
                return JSON.nullNode();
            }
            try {
                return JSON.readTree(PARAMS.print(params));
            } catch (JsonProcessingException | com.google.protobuf.InvalidProtocolBufferException e) {
                return JSON.getNodeFactory().textNode(params.toString());
            }
        }
    }

    private static final class AuditedCall<ReqT, RespT> extends ForwardingClientCall.SimpleForwardingClientCall<ReqT, RespT> {
        private final Line line;

        AuditedCall(ClientCall<ReqT, RespT> call, Line line) {
            super(call);
            this.line = line;
        }

        @Override
        public void start(Listener<RespT> listener, Metadata headers) {
            line.principal = headers.get(ForwardedHeaders.PRINCIPAL);
            super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                @Override
                public void onMessage(RespT message) {
                    line.rows += line.audited.rows(message);
                    if (line.audited.rowsField() == AuditedMethod.NO_ROWS) {
                        line.version = line.audited.version(message);
                    }
                    super.onMessage(message);
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    line.write(status);
                    super.onClose(status, trailers);
                }
            }, headers);
        }

        @Override
        public void sendMessage(ReqT message) {
            if (line.params == null) {
                line.params = line.audited.parameters(message);
            }
            super.sendMessage(message);
        }
    }
}
