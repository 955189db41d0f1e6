package pql.forecast;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import pql.common.grpc.TlsConfig;

/** The {@code scoring:} section: where scoring-service listens and how to reach it. */
public class ScoringTargetConfig {

    /** gRPC target, e.g. "localhost:50062" or "dns:///scoring:50062". */
    @JsonProperty
    @NotBlank
    private String target = "localhost:50062";

    /** TLS to scoring (trust file; client certificate and key for mTLS). Blank paths mean unset. */
    @JsonProperty
    @Valid
    @NotNull
    private TlsConfig tls = new TlsConfig();

    public String getTarget() {
        return target;
    }

    public ScoringTargetConfig setTarget(String target) {
        this.target = target;
        return this;
    }

    public TlsConfig getTls() {
        return tls;
    }

    public ScoringTargetConfig setTls(TlsConfig tls) {
        this.tls = tls;
        return this;
    }

    public TlsConfig normalizedTls() {
        return normalized(tls);
    }

    /** TLS settings with blank paths (an unset env variable) as absent. */
    static TlsConfig normalized(TlsConfig tls) {
        return new TlsConfig()
                .setEnabled(tls.isEnabled())
                .setCertChainFile(blankToNull(tls.getCertChainFile()))
                .setPrivateKeyFile(blankToNull(tls.getPrivateKeyFile()))
                .setTrustCertFile(blankToNull(tls.getTrustCertFile()))
                .setRequireClientAuth(tls.isRequireClientAuth());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
