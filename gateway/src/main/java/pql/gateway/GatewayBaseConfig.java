package pql.gateway;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import pql.common.grpc.GrpcServerConfig;
import pql.common.telemetry.TelemetryConfig;
import pql.gateway.auth.AuthConfig;

/** What both gateway modes share: the public gRPC endpoint, telemetry, keys, proxy limits. */
public abstract class GatewayBaseConfig extends Configuration {

    @JsonProperty
    @Valid
    @NotNull
    private GrpcServerConfig grpc = new GrpcServerConfig().setPort(50051);

    @JsonProperty
    @Valid
    @NotNull
    private TelemetryConfig telemetry = new TelemetryConfig();

    @JsonProperty
    @Valid
    @NotNull
    private AuthConfig auth = new AuthConfig();

    @JsonProperty
    @Valid
    @NotNull
    private ProxySettings proxy = new ProxySettings();

    public GrpcServerConfig getGrpc() {
        return grpc;
    }

    public TelemetryConfig getTelemetry() {
        return telemetry;
    }

    public AuthConfig getAuth() {
        return auth;
    }

    public ProxySettings getProxy() {
        return proxy;
    }
}
