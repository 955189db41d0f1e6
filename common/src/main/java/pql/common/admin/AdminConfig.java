package pql.common.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code adminAuth:} section: the keys the admin port accepts, as the SHA-256 of each key (what
 * {@code pql keys create} prints). The gateway and the all-in-one also accept their own API keys
 * that carry the {@code admin} scope.
 */
public class AdminConfig {

    @JsonProperty
    @NotNull
    private List<String> apiKeySha256 = new ArrayList<>();

    public List<String> getApiKeySha256() {
        return apiKeySha256;
    }

    public AdminConfig setApiKeySha256(List<String> apiKeySha256) {
        this.apiKeySha256 = apiKeySha256;
        return this;
    }
}
