package pql.gateway.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code auth:} section: the accepted API keys (hashed) and, for a laptop, a local key with
 * every scope that the process creates on first start and prints. Keys created at runtime
 * (KeyService) live in the event store, not here.
 */
public class AuthConfig {

    @JsonProperty
    @Valid
    @NotNull
    private List<ApiKeyConfig> apiKeys = new ArrayList<>();

    @JsonProperty
    @Valid
    @NotNull
    private LocalKeyConfig localKey = new LocalKeyConfig();

    /**
     * How often the gateway reads the key stream for runtime keys created or revoked (KeyService,
     * possibly on another gateway): the longest a change takes to apply here.
     */
    @JsonProperty
    @jakarta.validation.constraints.Min(50)
    @jakarta.validation.constraints.Max(60_000)
    private int runtimeKeysPollMillis = 250;

    public int getRuntimeKeysPollMillis() {
        return runtimeKeysPollMillis;
    }

    public List<ApiKeyConfig> getApiKeys() {
        return apiKeys;
    }

    public AuthConfig setApiKeys(List<ApiKeyConfig> apiKeys) {
        this.apiKeys = apiKeys;
        return this;
    }

    public LocalKeyConfig getLocalKey() {
        return localKey;
    }

    public AuthConfig setLocalKey(LocalKeyConfig localKey) {
        this.localKey = localKey;
        return this;
    }
}
