package pql.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.grpc.ServerServiceDefinition;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.common.ServiceModule;
import pql.common.telemetry.Telemetry;
import pql.eventstore.EventStore;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.v1.IngestServiceGrpc;

/** The module as the all-in-one builds it: settings bound from YAML, the published constructor. */
class IngestModuleTest {

    private final ObjectMapper yaml = Jackson.newObjectMapper(new YAMLFactory());
    private final Validator validator = Validators.newValidator();

    @TempDir
    Path directory;

    @Test
    void theIngestSectionBindsAndAnEmptyOneKeepsTheDefaults() throws Exception {
        IngestSettings bound = yaml.readValue("maxInFlightEvents: 5000\nmaxChunksInFlightPerStream: 2\n", IngestSettings.class);
        IngestSettings empty = yaml.readValue("{}", IngestSettings.class);

        assertThat(bound.getMaxInFlightEvents()).isEqualTo(5_000);
        assertThat(bound.getMaxChunksInFlightPerStream()).isEqualTo(2);
        assertThat(bound.getMaxInFlightBytes()).isEqualTo(new IngestSettings().getMaxInFlightBytes());
        assertThat(empty.getMaxInFlightEvents()).isEqualTo(100_000);
        assertThat(validator.validate(bound)).isEmpty();
    }

    @Test
    void nonsenseSettingsAreRefusedByValidation() throws Exception {
        IngestSettings settings = yaml.readValue("maxInFlightEvents: 0\ncompletionThreads: 0\n", IngestSettings.class);

        Set<ConstraintViolation<IngestSettings>> violations = validator.validate(settings);

        assertThat(violations).extracting(v -> v.getPropertyPath().toString())
                .containsExactlyInAnyOrder("maxInFlightEvents", "completionThreads");
    }

    @Test
    void thePublishedConstructorBuildsTheServiceAndLeavesTheStoreToItsOwner() throws Exception {
        try (RocksDbEventStore store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory))) {
            ServiceModule module = (ServiceModule) IngestModule.class
                    .getConstructor(IngestSettings.class, EventStore.class, Telemetry.class, Clock.class)
                    .newInstance(new IngestSettings(), store, Telemetry.noop(), Clock.systemUTC());
            module.start();

            assertThat(module.name()).isEqualTo("ingest");
            assertThat(module.services()).extracting(ServerServiceDefinition::getServiceDescriptor)
                    .extracting(descriptor -> descriptor.getName())
                    .containsExactly(IngestServiceGrpc.SERVICE_NAME, pql.v1.ApiKeyLogServiceGrpc.SERVICE_NAME);
            assertThat(module.services().get(0).getMethods()).hasSize(3);
            assertThat(module.healthChecks()).containsKey("event-store");
            module.close();
            assertThat(store.isAvailable()).isTrue();
        }
    }
}
