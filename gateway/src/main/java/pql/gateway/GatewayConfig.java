package pql.gateway;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The distributed gateway: the shared sections plus where the backend services listen. */
public class GatewayConfig extends GatewayBaseConfig {

    @JsonProperty
    @Valid
    @NotNull
    private BackendsConfig backends = new BackendsConfig();

    public BackendsConfig getBackends() {
        return backends;
    }
}
