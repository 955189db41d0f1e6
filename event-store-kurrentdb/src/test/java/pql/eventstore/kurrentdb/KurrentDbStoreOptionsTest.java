package pql.eventstore.kurrentdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The options bind from a service's YAML with the object mapper Dropwizard configures. */
class KurrentDbStoreOptionsTest {

    /** A service configuration holding the options in a section of its own. */
    static class ServiceConfig {
        @JsonProperty
        KurrentDbStoreOptions kurrentdb;
    }

    private final ObjectMapper yaml = Jackson.newObjectMapper(new YAMLFactory());

    @Test
    void aSectionWithEverySettingBinds() throws Exception {
        ServiceConfig config = yaml.readValue("""
                kurrentdb:
                  connectionString: kurrentdb://kurrentdb:2113?tls=false
                  operationTimeout: PT3S
                  readPageSize: 100
                  cursorBufferSize: 1000
                  streamCacheSize: 50
                  appendThreads: 4
                  maxPendingEvents: 5000
                """, ServiceConfig.class);

        assertThat(config.kurrentdb).isEqualTo(new KurrentDbStoreOptions("kurrentdb://kurrentdb:2113?tls=false",
                Duration.ofSeconds(3), 100, 1000, 50, 4, 5000));
    }

    @Test
    void missingSettingsTakeTheirDefaults() throws Exception {
        ServiceConfig config = yaml.readValue("""
                kurrentdb:
                  connectionString: kurrentdb://localhost:2113?tls=false
                """, ServiceConfig.class);

        assertThat(config.kurrentdb).isEqualTo(KurrentDbStoreOptions.of("kurrentdb://localhost:2113?tls=false"));
        assertThat(config.kurrentdb.operationTimeout()).isEqualTo(KurrentDbStoreOptions.DEFAULT_OPERATION_TIMEOUT);
        assertThat(config.kurrentdb.readPageSize()).isEqualTo(KurrentDbStoreOptions.DEFAULT_READ_PAGE_SIZE);
        assertThat(config.kurrentdb.maxPendingEvents()).isEqualTo(KurrentDbStoreOptions.DEFAULT_MAX_PENDING_EVENTS);
    }

    @Test
    void aSectionWithoutConnectionStringIsRefused() {
        assertThatThrownBy(() -> yaml.readValue("kurrentdb:\n  readPageSize: 10\n", ServiceConfig.class))
                .isInstanceOf(ValueInstantiationException.class)
                .hasMessageContaining("connection string is required");
    }

    @Test
    void badValuesAreRefused() {
        assertThatThrownBy(() -> KurrentDbStoreOptions.of("kurrentdb://h:2113").withReadPageSize(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KurrentDbStoreOptions.of("kurrentdb://h:2113").withOperationTimeout(Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void passwordsInTheConnectionStringAreNeverPrinted() {
        KurrentDbStoreOptions options = KurrentDbStoreOptions.of("kurrentdb://admin:changeit@db:2113?tls=true");
        assertThat(options.toString()).doesNotContain("changeit").contains("kurrentdb://***@db:2113");
    }
}
