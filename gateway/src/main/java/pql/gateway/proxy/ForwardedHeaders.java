package pql.gateway.proxy;

import io.grpc.Metadata;
import java.util.Locale;
import java.util.Set;

/**
 * Which headers cross the gateway. Requests lose the caller's credentials and any claimed
 * principal (the gateway states who called, callers cannot); transport headers that each hop
 * writes itself are dropped in both directions, and trace headers are re-written by the
 * telemetry interceptor of the outgoing call. Error details (grpc-status-details-bin) pass.
 */
public final class ForwardedHeaders {

    /** The authenticated caller's key name, as the services read it. */
    public static final Metadata.Key<String> PRINCIPAL =
            Metadata.Key.of("pql-principal", Metadata.ASCII_STRING_MARSHALLER);

    private static final Set<String> HOP_BY_HOP = Set.of(
            "content-type", "te", "user-agent", "host", "connection", "content-length",
            "grpc-timeout", "grpc-encoding", "grpc-accept-encoding", "grpc-status", "grpc-message",
            "grpc-previous-rpc-attempts", "traceparent", "tracestate", "baggage");

    private static final Set<String> CREDENTIALS = Set.of("authorization", "x-api-key", "pql-principal");

    private ForwardedHeaders() {
    }

    /** Headers for the backend call: the caller's own headers without credentials, plus the principal. */
    public static Metadata request(Metadata incoming, String principal) {
        Metadata outgoing = copy(incoming, true);
        if (principal != null) {
            outgoing.put(PRINCIPAL, principal);
        }
        return outgoing;
    }

    /** Response headers or trailers from the backend for the caller. */
    public static Metadata response(Metadata fromBackend) {
        return copy(fromBackend, false);
    }

    private static Metadata copy(Metadata source, boolean dropCredentials) {
        Metadata target = new Metadata();
        for (String key : source.keys()) {
            String name = key.toLowerCase(Locale.ROOT);
            if (name.startsWith(":") || HOP_BY_HOP.contains(name) || (dropCredentials && CREDENTIALS.contains(name))) {
                continue;
            }
            if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                Metadata.Key<byte[]> binary = Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER);
                for (byte[] value : source.getAll(binary)) {
                    target.put(binary, value);
                }
            } else {
                Metadata.Key<String> ascii = Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
                for (String value : source.getAll(ascii)) {
                    target.put(ascii, value);
                }
            }
        }
        return target;
    }
}
