package pql.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.common.grpc.GrpcServerConfig;
import pql.common.grpc.TlsConfig;

/** TLS on the public endpoint is a matter of config: a TLS client gets in, a plaintext one does not. */
class GatewayTlsTest {

    @TempDir
    Path directory;

    @Test
    void theGatewaySpeaksTlsWhenConfigured() throws Exception {
        Path cert = directory.resolve("gateway.crt");
        Path key = directory.resolve("gateway.key");
        selfSignedCertificate(cert, key);
        GrpcServerConfig config = new GrpcServerConfig().setHost("127.0.0.1").setPort(0)
                .setTls(new TlsConfig().setEnabled(true).setCertChainFile(cert.toString()).setPrivateKeyFile(key.toString())
                        .setTrustCertFile(""));
        HealthStatusManager health = new HealthStatusManager();
        GatewayGrpcServer server = new GatewayGrpcServer(config, List.of(), List.of(), health);
        server.start();
        ManagedChannel tls = Grpc.newChannelBuilderForAddress("localhost", server.port(),
                TlsChannelCredentials.newBuilder().trustManager(cert.toFile()).build()).build();
        ManagedChannel plaintext = Grpc.newChannelBuilderForAddress("localhost", server.port(), InsecureChannelCredentials.create()).build();
        try {
            assertThat(HealthGrpc.newBlockingStub(tls).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus()).isNotNull();
            assertThatThrownBy(() -> HealthGrpc.newBlockingStub(plaintext).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isIn(Status.Code.UNAVAILABLE, Status.Code.INTERNAL));
        } finally {
            tls.shutdownNow();
            plaintext.shutdownNow();
            server.stop();
        }
    }

    /** With the JDK's keytool: a key pair for localhost, written as PEM certificate and PKCS#8 key. */
    private void selfSignedCertificate(Path cert, Path key) throws Exception {
        Path keystore = directory.resolve("gateway.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "gateway", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(keystore.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        Certificate certificate = store.getCertificate("gateway");
        Key privateKey = store.getKey("gateway", "changeit".toCharArray());
        Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(key, pem("PRIVATE KEY", privateKey.getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
