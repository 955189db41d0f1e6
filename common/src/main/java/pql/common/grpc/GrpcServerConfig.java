package pql.common.grpc;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The {@code grpc:} section of a service's YAML. */
public class GrpcServerConfig {

    @JsonProperty
    @NotNull
    private String host = "127.0.0.1";

    /** 0 picks a free port (tests). */
    @JsonProperty
    @Min(0)
    @Max(65535)
    private int port = 50051;

    /** Largest request message accepted; bigger ones get RESOURCE_EXHAUSTED from gRPC. */
    @JsonProperty
    @Min(1024)
    private int maxInboundMessageBytes = 4 * 1024 * 1024;

    /**
     * Largest header block accepted. Above gRPC's 8 KiB default so that an oversized credential
     * reaches the auth check and gets UNAUTHENTICATED, instead of a transport error (UNKNOWN) and
     * a stack trace in the log.
     */
    @JsonProperty
    @Min(8192)
    private int maxInboundMetadataBytes = 64 * 1024;

    @JsonProperty
    @Valid
    @NotNull
    private TlsConfig tls = new TlsConfig();

    public String getHost() {
        return host;
    }

    public int getPort() {
        return port;
    }

    public int getMaxInboundMessageBytes() {
        return maxInboundMessageBytes;
    }

    public int getMaxInboundMetadataBytes() {
        return maxInboundMetadataBytes;
    }

    public TlsConfig getTls() {
        return tls;
    }

    public GrpcServerConfig setHost(String host) {
        this.host = host;
        return this;
    }

    public GrpcServerConfig setPort(int port) {
        this.port = port;
        return this;
    }

    public GrpcServerConfig setMaxInboundMessageBytes(int maxInboundMessageBytes) {
        this.maxInboundMessageBytes = maxInboundMessageBytes;
        return this;
    }

    public GrpcServerConfig setTls(TlsConfig tls) {
        this.tls = tls;
        return this;
    }
}
