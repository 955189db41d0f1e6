package pql.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import pql.gateway.audit.AuditLog;
import pql.gateway.support.FakeBackends;
import pql.gateway.support.RunningGateway;
import pql.gateway.support.TestKeys;
import pql.v1.AccountScoreFilter;
import pql.v1.DefinitionServiceGrpc;
import pql.v1.ForecastFilter;
import pql.v1.ForecastServiceGrpc;
import pql.v1.GetAccountScoreRequest;
import pql.v1.Persona;
import pql.v1.PromoteDefinitionRequest;
import pql.v1.PublishDefinitionRequest;
import pql.v1.ScoringDefinition;
import pql.v1.ScoringServiceGrpc;
import pql.v1.StreamAccountScoresRequest;
import pql.v1.StreamForecastLinesRequest;

/**
 * The audit log through the real gateway: every export (gRPC streams, the HTTP CSV) and every
 * definition change leaves one JSON line on {@code pql.audit} with the key's name, the method,
 * the filters and the rows really sent, and never a key.
 */
class GatewayAuditTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;
    static FakeBackends backends;
    static RunningGateway gateway;
    private final ListAppender<ILoggingEvent> audit = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        backends = new FakeBackends();
        gateway = new RunningGateway(backends, directory); // root level WARN, as the bundled configs
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        backends.close();
    }

    @BeforeEach
    void captureAuditLines() {
        audit.start();
        ((Logger) LoggerFactory.getLogger(AuditLog.LOGGER)).addAppender(audit);
    }

    @AfterEach
    void release() {
        ((Logger) LoggerFactory.getLogger(AuditLog.LOGGER)).detachAppender(audit);
    }

    @Test
    void aForecastLinesExportOverGrpcNamesTheKeyTheFilterAndTheRowsSent() throws Exception {
        var lines = ForecastServiceGrpc.newBlockingStub(gateway.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
                .withCallCredentials(RunningGateway.bearer(TestKeys.FINANCE))
                .streamForecastLines(StreamForecastLinesRequest.newBuilder()
                        .setFilter(ForecastFilter.newBuilder().addPersonas(Persona.PERSONA_GOLDEN_LEAD)
                                .addPersonas(Persona.PERSONA_FIZZLER).addOwners("ana@example.com"))
                        .build());
        int received = 0;
        while (lines.hasNext()) {
            lines.next();
            received++;
        }

        JsonNode line = awaitOneLine();
        assertThat(received).isEqualTo(2);
        assertThat(line.get("audit").asText()).isEqualTo("export");
        assertThat(line.get("principal").asText()).isEqualTo("finance");
        assertThat(line.get("method").asText()).isEqualTo("pql.v1.ForecastService/StreamForecastLines");
        assertThat(line.get("via").asText()).isEqualTo("grpc");
        assertThat(line.get("params").get("filter").get("personas").toString())
                .isEqualTo("[\"PERSONA_GOLDEN_LEAD\",\"PERSONA_FIZZLER\"]");
        assertThat(line.get("params").get("filter").get("owners").toString()).isEqualTo("[\"ana@example.com\"]");
        assertThat(line.get("status").asText()).isEqualTo("OK");
        assertThat(line.get("rows").asLong()).isEqualTo(received);
    }

    @Test
    void theHttpCsvExportCountsTheRowsOfTheFile() throws Exception {
        HttpResponse<String> csv = gateway.get("/api/v1/forecast/lines.csv?persona=heartbreaker&as_of=2025-02-25",
                TestKeys.FINANCE);

        JsonNode line = awaitOneLine();
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(line.get("principal").asText()).isEqualTo("finance");
        assertThat(line.get("method").asText()).isEqualTo("pql.v1.ForecastService/StreamForecastLines");
        assertThat(line.get("via").asText()).isEqualTo("http");
        assertThat(line.get("params").get("filter").get("personas").toString()).isEqualTo("[\"PERSONA_HEARTBREAKER\"]");
        assertThat(line.get("params").get("asOf").asText()).startsWith("2025-02-25T00:00:00");
        assertThat(line.get("rows").asLong()).isEqualTo(1); // one account, whose name holds a line break
    }

    @Test
    void aScoresStreamCountsAccountsNotChunks() throws Exception {
        var chunks = ScoringServiceGrpc.newBlockingStub(gateway.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
                .withCallCredentials(RunningGateway.bearer(TestKeys.READER))
                .streamAccountScores(StreamAccountScoresRequest.newBuilder()
                        .setFilter(AccountScoreFilter.newBuilder().setPqlOnly(true)).build());
        int accounts = 0;
        int chunkCount = 0;
        while (chunks.hasNext()) {
            accounts += chunks.next().getScoresCount();
            chunkCount++;
        }

        JsonNode line = awaitOneLine();
        assertThat(chunkCount).isEqualTo(2);
        assertThat(line.get("principal").asText()).isEqualTo("reader");
        assertThat(line.get("method").asText()).isEqualTo("pql.v1.ScoringService/StreamAccountScores");
        assertThat(line.get("params").get("filter").get("pqlOnly").asBoolean()).isTrue();
        assertThat(line.get("rows").asLong()).isEqualTo(accounts).isEqualTo(2); // acme and initech, one message each
    }

    @Test
    void definitionChangesAreAuditedWithTheirOutcome_AndTheDefinitionBodyStaysOut() throws Exception {
        var definitions = DefinitionServiceGrpc.newBlockingStub(gateway.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
                .withCallCredentials(RunningGateway.bearer(TestKeys.ADMIN));
        definitions.publishDefinition(PublishDefinitionRequest.newBuilder()
                .setDefinition(ScoringDefinition.newBuilder().setName("v2: invoices count double")
                        .setDescription("a long description that is not audited"))
                .build());
        JsonNode publish = awaitOneLine();
        assertThat(publish.get("audit").asText()).isEqualTo("definition_change");
        assertThat(publish.get("principal").asText()).isEqualTo("admin");
        assertThat(publish.get("method").asText()).isEqualTo("pql.v1.DefinitionService/PublishDefinition");
        assertThat(publish.get("params").toString()).isEqualTo("{\"definition\":{\"name\":\"v2: invoices count double\"}}");
        assertThat(publish.get("status").asText()).isEqualTo("OK");
        assertThat(publish.get("version").asInt()).isEqualTo(2);
        assertThat(publish.has("rows")).isFalse();

        audit.list.clear();
        assertThatThrownBy(() -> definitions.promoteDefinition(PromoteDefinitionRequest.newBuilder().setVersion(2).build()))
                .hasMessageContaining("FAILED_PRECONDITION");
        JsonNode promote = awaitOneLine();
        assertThat(promote.get("method").asText()).isEqualTo("pql.v1.DefinitionService/PromoteDefinition");
        assertThat(promote.get("params").get("version").asInt()).isEqualTo(2);
        assertThat(promote.get("status").asText()).isEqualTo("FAILED_PRECONDITION");
    }

    @Test
    void readsThatAreNotExportsAreNotAudited_AndNoLineHoldsAKey() throws Exception {
        ScoringServiceGrpc.newBlockingStub(gateway.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
                .withCallCredentials(RunningGateway.bearer(TestKeys.READER))
                .getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId("acme").build());
        gateway.get("/api/v1/forecast/lines.csv", TestKeys.FINANCE);

        JsonNode line = awaitOneLine();
        assertThat(line.get("method").asText()).isEqualTo("pql.v1.ForecastService/StreamForecastLines");
        assertThat(audit.list.toString()).doesNotContain(TestKeys.FINANCE).doesNotContain(TestKeys.READER)
                .doesNotContain(TestKeys.FINANCE.substring(4, 20));
    }

    /** The line is written when the backend call ends, which may be just after the caller saw its end. */
    private JsonNode awaitOneLine() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        while (audit.list.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(10);
        }
        Thread.sleep(50); // a second line, if any, would show now
        List<ILoggingEvent> lines = List.copyOf(audit.list);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).getLoggerName()).isEqualTo("pql.audit");
        return JSON.readTree(lines.get(0).getFormattedMessage());
    }
}
