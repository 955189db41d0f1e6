package pql.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import pql.v1.GetAccountScoreRequest;
import pql.v1.ScoringServiceGrpc;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.gateway.support.FakeBackends;
import pql.gateway.support.RunningGateway;
import pql.gateway.support.TestKeys;

/** The admin port's Prometheus text endpoint, behind the admin key like every admin path. */
class GatewayPrometheusTest {

    @TempDir
    static Path directory;
    static FakeBackends backends;
    static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        backends = new FakeBackends();
        gateway = new RunningGateway(backends, directory);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        backends.close();
    }

    @Test
    void an_admin_key_reads_the_metrics_as_prometheus_text() throws Exception {
        HttpResponse<String> response = gateway.admin("GET", "/prometheus", TestKeys.OPERATOR);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/plain").contains("version=0.0.4"));
        assertThat(response.body()).contains("# TYPE jvm_memory_heap_used gauge\njvm_memory_heap_used ");
    }

    @Test
    void each_public_method_is_counted_by_status_code_and_timed() throws Exception {
        var scoring = ScoringServiceGrpc.newBlockingStub(gateway.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
        scoring.withCallCredentials(RunningGateway.bearer(TestKeys.READER))
                .getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId("acme").build());
        scoring.withCallCredentials(RunningGateway.bearer(TestKeys.READER))
                .getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId("globex").build());
        assertThatThrownBy(() -> scoring.withCallCredentials(RunningGateway.bearer(TestKeys.FINANCE))
                .getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId("acme").build()))
                .hasMessageContaining("PERMISSION_DENIED");

        String text = gateway.admin("GET", "/prometheus", TestKeys.OPERATOR).body();

        assertThat(text).contains("grpc_server_pql_v1_ScoringService_GetAccountScore_code_OK_total 2.0\n")
                .contains("grpc_server_pql_v1_ScoringService_GetAccountScore_code_PERMISSION_DENIED_total 1.0\n")
                .contains("grpc_server_pql_v1_ScoringService_GetAccountScore_latency_seconds_count 3\n");
        assertThat(gateway.admin("GET", "/metrics", TestKeys.OPERATOR).body())
                .contains("grpc.server.pql.v1.ScoringService.GetAccountScore.code.OK");
    }

    @Test
    void without_an_admin_key_it_is_refused() throws Exception {
        assertThat(gateway.admin("GET", "/prometheus", null).statusCode()).isEqualTo(401);
        assertThat(gateway.admin("GET", "/prometheus", TestKeys.READER).statusCode()).isEqualTo(403);
    }
}
