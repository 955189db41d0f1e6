package pql.gateway.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.ArrayList;
import java.util.List;

/**
 * One API key in the gateway YAML. Only the SHA-256 of the key is kept: a leaked config file
 * does not leak keys. {@code pql keys create NAME --scopes ...} prints both.
 *
 * <pre>
 * - name: finance-exports
 *   sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
 *   scopes: [forecast:read]
 * </pre>
 */
public class ApiKeyConfig {

    @JsonProperty
    @NotEmpty
    @Pattern(regexp = "[A-Za-z0-9._@-]{1,64}", message = "1..64 characters of [A-Za-z0-9._@-]")
    private String name;

    @JsonProperty
    @NotNull
    @Pattern(regexp = "[0-9a-fA-F]{64}", message = "the hex SHA-256 of the key (64 hex digits)")
    private String sha256;

    @JsonProperty
    @NotNull
    private List<String> scopes = new ArrayList<>();

    public ApiKeyConfig() {
    }

    public ApiKeyConfig(String name, String sha256, List<String> scopes) {
        this.name = name;
        this.sha256 = sha256;
        this.scopes = new ArrayList<>(scopes);
    }

    public String getName() {
        return name;
    }

    public String getSha256() {
        return sha256;
    }

    public List<String> getScopes() {
        return scopes;
    }
}
