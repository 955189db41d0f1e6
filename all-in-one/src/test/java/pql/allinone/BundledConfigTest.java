package pql.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The shipped all-in-one YAML (all-in-one/config.yml) parses and validates with its defaults (no env set). */
class BundledConfigTest {

    private static Path file(String name) {
        Path here = Path.of("").toAbsolutePath();
        return here.resolve(name).toFile().exists() ? here.resolve(name) : here.resolve("all-in-one").resolve(name);
    }

    private static <T> T load(Class<T> type, String name) throws Exception {
        return new YamlConfigurationFactory<>(type, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
                .build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)),
                        file(name).toString());
    }

    @Test
    void theAllInOneConfig() throws Exception {
        AllInOneConfig config = load(AllInOneConfig.class, "config.yml");
        assertThat(config.getGrpc().getPort()).isEqualTo(50051);
        assertThat(config.getAuth().getLocalKey().isEnabled()).isTrue();
        assertThat(config.getEventStore().getDirectory()).isEqualTo("./data/events");
        assertThat(config.getSampleData().getAccounts()).isEqualTo(2000);
        assertThat(config.getScoring().get("dataDirectory").asText()).isEqualTo("./data/scoring");
    }
}
