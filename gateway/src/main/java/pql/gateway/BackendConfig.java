package pql.gateway;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import pql.common.grpc.TlsConfig;

/** Where one backend service listens (distributed mode), e.g. {@code scoring-service:50062}. */
public class BackendConfig {

    @JsonProperty
    @NotEmpty
    private String target;

    @JsonProperty
    @Valid
    @NotNull
    private TlsConfig tls = new TlsConfig();

    public BackendConfig() {
    }

    public BackendConfig(String target) {
        this.target = target;
    }

    public String getTarget() {
        return target;
    }

    public BackendConfig setTarget(String target) {
        this.target = target;
        return this;
    }

    public TlsConfig getTls() {
        return tls;
    }
}
