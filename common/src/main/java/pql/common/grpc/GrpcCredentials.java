package pql.common.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Turns a {@link TlsConfig} into gRPC server or channel credentials. */
public final class GrpcCredentials {

    private GrpcCredentials() {
    }

    public static ServerCredentials server(TlsConfig tls) {
        if (!tls.isEnabled()) {
            return InsecureServerCredentials.create();
        }
        try {
            TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder()
                    .keyManager(new File(tls.getCertChainFile()), new File(tls.getPrivateKeyFile()));
            if (tls.getTrustCertFile() != null) {
                builder.trustManager(new File(tls.getTrustCertFile()));
                builder.clientAuth(tls.isRequireClientAuth()
                        ? TlsServerCredentials.ClientAuth.REQUIRE
                        : TlsServerCredentials.ClientAuth.OPTIONAL);
            }
            return builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the TLS key material", e);
        }
    }

    public static ChannelCredentials channel(TlsConfig tls) {
        if (!tls.isEnabled()) {
            return InsecureChannelCredentials.create();
        }
        try {
            TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
            if (tls.getTrustCertFile() != null) {
                builder.trustManager(new File(tls.getTrustCertFile()));
            }
            if (tls.getCertChainFile() != null && tls.getPrivateKeyFile() != null) {
                builder.keyManager(new File(tls.getCertChainFile()), new File(tls.getPrivateKeyFile()));
            }
            return builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the TLS key material", e);
        }
    }
}
