package pql.common.grpc;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * TLS of a gRPC server or client, off unless {@code enabled}. PEM files. With a trust file and
 * {@code requireClientAuth} the server demands client certificates (mTLS between services).
 */
public class TlsConfig {

    @JsonProperty
    private boolean enabled;
    @JsonProperty
    private String certChainFile;
    @JsonProperty
    private String privateKeyFile;
    @JsonProperty
    private String trustCertFile;
    @JsonProperty
    private boolean requireClientAuth;

    public boolean isEnabled() {
        return enabled;
    }

    public String getCertChainFile() {
        return certChainFile;
    }

    public String getPrivateKeyFile() {
        return privateKeyFile;
    }

    public String getTrustCertFile() {
        return trustCertFile;
    }

    public boolean isRequireClientAuth() {
        return requireClientAuth;
    }

    public TlsConfig setEnabled(boolean enabled) {
        this.enabled = enabled;
        return this;
    }

    public TlsConfig setCertChainFile(String certChainFile) {
        this.certChainFile = certChainFile;
        return this;
    }

    public TlsConfig setPrivateKeyFile(String privateKeyFile) {
        this.privateKeyFile = privateKeyFile;
        return this;
    }

    public TlsConfig setTrustCertFile(String trustCertFile) {
        this.trustCertFile = trustCertFile;
        return this;
    }

    public TlsConfig setRequireClientAuth(boolean requireClientAuth) {
        this.requireClientAuth = requireClientAuth;
        return this;
    }
}
