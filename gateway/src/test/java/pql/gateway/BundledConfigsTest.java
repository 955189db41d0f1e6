package pql.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The shipped gateway YAML parses and validates with its defaults (no env set). */
class BundledConfigsTest {

    private static Path file(String name) {
        Path here = Path.of("").toAbsolutePath();
        return here.resolve(name).toFile().exists() ? here.resolve(name) : here.resolve("gateway").resolve(name);
    }

    private static <T> T load(Class<T> type, String name) throws Exception {
        return new YamlConfigurationFactory<>(type, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
                .build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)),
                        file(name).toString());
    }

    @Test
    void theDistributedGatewayConfig() throws Exception {
        GatewayConfig config = load(GatewayConfig.class, "config.yml");
        assertThat(config.getGrpc().getPort()).isEqualTo(50051);
        assertThat(config.getBackends().getScoring().getTarget()).isEqualTo("localhost:50062");
        assertThat(config.getAuth().getLocalKey().isEnabled()).isFalse();
        assertThat(TlsSettings.normalized(config.getBackends().getIngest().getTls()).getTrustCertFile()).isNull();
    }
}
