package pql.gateway.auth;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A key with every scope for one machine's own use (the all-in-one). Off in distributed mode.
 * The key is kept in {@code file} (owner-only permissions) so it survives restarts; {@code key}
 * sets it explicitly instead (e.g. from {@code PQL_LOCAL_API_KEY}).
 */
public class LocalKeyConfig {

    @JsonProperty
    private boolean enabled;

    @JsonProperty
    private String name = "local";

    @JsonProperty
    private String file = "./data/local-api-key";

    @JsonProperty
    private String key = "";

    public boolean isEnabled() {
        return enabled;
    }

    public LocalKeyConfig setEnabled(boolean enabled) {
        this.enabled = enabled;
        return this;
    }

    public String getName() {
        return name;
    }

    public String getFile() {
        return file;
    }

    public LocalKeyConfig setFile(String file) {
        this.file = file;
        return this;
    }

    public String getKey() {
        return key;
    }

    public LocalKeyConfig setKey(String key) {
        this.key = key;
        return this;
    }
}
