package pql.gateway;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import pql.common.service.ServiceConfiguration;
import pql.gateway.auth.AuthConfig;
import pql.gateway.segment.SegmentConfig;

/** What both gateway modes share: the public gRPC endpoint and telemetry (from the base), keys, proxy limits. */
public abstract class GatewayBaseConfig extends ServiceConfiguration {

    @JsonProperty
    @Valid
    @NotNull
    private AuthConfig auth = new AuthConfig();

    @JsonProperty
    @Valid
    @NotNull
    private ProxySettings proxy = new ProxySettings();

    /** The Segment-compatible HTTP source (/v1/track, /v1/batch...) and its mapping. */
    @JsonProperty
    @Valid
    @NotNull
    private SegmentConfig segment = new SegmentConfig();

    protected GatewayBaseConfig() {
        super(50051);
    }

    public AuthConfig getAuth() {
        return auth;
    }

    public ProxySettings getProxy() {
        return proxy;
    }

    public SegmentConfig getSegment() {
        return segment;
    }
}
