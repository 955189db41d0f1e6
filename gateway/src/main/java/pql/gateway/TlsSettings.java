package pql.gateway;

import pql.common.grpc.TlsConfig;

/** TLS settings as written with env defaults: {@code ${VAR:-}} yields "", which means "not set". */
final class TlsSettings {

    private TlsSettings() {
    }

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
