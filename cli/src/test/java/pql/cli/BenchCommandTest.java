package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import pql.v1.ForecastDimension;
import pql.v1.GetAccountScoreRequest;
import pql.v1.GetForecastRequest;
import pql.v1.IngestBatchRequest;
import pql.v1.ListAccountScoresRequest;
import pql.v1.ScoreView;

/** {@code pql bench ...}: how many calls of which shape the options ask for, and the refusals. */
class BenchCommandTest {

    @RegisterExtension
    final FakeGateway gateway = new FakeGateway();

    @Test
    void scoresReadsRandomKnownAccountsAsOftenAsAsked() {
        FakeGateway.Run run = gateway.pql("bench", "scores", "--requests", "10", "--concurrency", "3");

        assertThat(run.exitCode()).as(run.err()).isZero();
        ListAccountScoresRequest known = gateway.last("ListAccountScores", ListAccountScoresRequest.class);
        assertThat(known.getPageSize()).isEqualTo(1000);
        assertThat(known.getView()).isEqualTo(ScoreView.SCORE_VIEW_BASIC);
        assertThat(gateway.requests("GetAccountScore", GetAccountScoreRequest.class)).hasSize(10)
                .allSatisfy(request -> assertThat(request.getAccountId()).isIn("acme", "globex"));
        assertThat(run.out()).containsPattern("account scores \\(3 threads\\): 10 requests in [0-9.]+ s = [0-9,]+ requests/s; "
                + "latency ms p50 [0-9.]+, p90 [0-9.]+, p99 [0-9.]+, max [0-9.]+ \\(10 samples\\)");
    }

    @Test
    void scoresWithNoAccountsToReadFailsWithAHint() {
        gateway.accounts.clear();

        FakeGateway.Run run = gateway.pql("bench", "scores");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out().strip()).isEqualTo("no accounts to read: ingest some first (pql ingest, or the all-in-one's sample)");
        assertThat(gateway.calls("GetAccountScore")).isZero();
    }

    @Test
    void forecastAsksForTheForecastByPersonaAsOftenAsAsked() {
        FakeGateway.Run run = gateway.pql("bench", "forecast", "--requests", "3");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(gateway.requests("GetForecast", GetForecastRequest.class)).hasSize(3).allSatisfy(request ->
                assertThat(request.getGroupByList()).containsExactly(ForecastDimension.FORECAST_DIMENSION_PERSONA));
        assertThat(run.out()).contains("forecast by persona (1 threads): 3 requests");
    }

    @Test
    void ingestBatchesAndSingleEventsAsAskedWithoutAWarmUp() {
        FakeGateway.Run run = gateway.pql("bench", "ingest", "--calls", "batch", "--events", "100", "--chunk", "50",
                "--warm-up-events", "0", "--accounts", "5", "--unary", "4");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(gateway.requests("IngestBatch", IngestBatchRequest.class))
                .extracting(IngestBatchRequest::getEventsCount).containsExactly(50, 50);
        assertThat(gateway.calls("IngestEvent")).isEqualTo(4);
        assertThat(gateway.calls("IngestStream")).isZero();
        assertThat(run.out()).contains("ingest batch (50 per call, 8 in flight, 10 events per account; latency per call): 100 events")
                .contains("ingest unary (one at a time): 4 events");
    }

    @Test
    void anUnknownCallShapeIsRefusedByName() {
        FakeGateway.Run run = gateway.pql("bench", "ingest", "--calls", "carrier-pigeon", "--warm-up-events", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(FakeGateway.lines(run.err()).get(0)).isEqualTo("--calls: unknown value 'carrier-pigeon'; one of stream, batch");
        assertThat(gateway.calls("IngestStream") + gateway.calls("IngestBatch")).isZero();
    }

    @Test
    void countsThatAreNotNumbersAreUsageErrors() {
        FakeGateway.Run run = gateway.pql("bench", "scores", "--requests", "all");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for option '--requests': 'all' is not an int");
        assertThat(gateway.calls("ListAccountScores")).isZero();
    }

    @Test
    void benchWithoutAWorkloadIsAUsageError() {
        FakeGateway.Run run = gateway.pql("bench");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required subcommand").contains("ingest", "scores", "forecast");
    }
}
