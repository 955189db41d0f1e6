package pql.common.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import pql.common.admin.AdminConfig;
import pql.common.grpc.GrpcServerConfig;
import pql.common.telemetry.TelemetryConfig;

/**
 * The YAML sections every PQL process has: Dropwizard's {@code server:} and {@code logging:},
 * plus {@code grpc:} (the public gRPC endpoint), {@code adminAuth:} (who may use the admin port) and
 * {@code telemetry:}. A service adds its own
 * sections (its settings, the event store when it owns one) in its subclass.
 */
public abstract class ServiceConfiguration extends Configuration {

    @JsonProperty
    @Valid
    @NotNull
    private GrpcServerConfig grpc;

    @JsonProperty
    @Valid
    @NotNull
    private AdminConfig adminAuth = new AdminConfig();

    @JsonProperty
    @Valid
    @NotNull
    private TelemetryConfig telemetry = new TelemetryConfig();

    /** @param defaultGrpcPort the port when the YAML does not set {@code grpc.port} */
    protected ServiceConfiguration(int defaultGrpcPort) {
        this.grpc = new GrpcServerConfig().setPort(defaultGrpcPort);
    }

    public GrpcServerConfig getGrpc() {
        return grpc;
    }

    public AdminConfig getAdminAuth() {
        return adminAuth;
    }

    public TelemetryConfig getTelemetry() {
        return telemetry;
    }
}
