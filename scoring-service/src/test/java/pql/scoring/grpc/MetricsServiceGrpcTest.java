package pql.scoring.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.common.grpc.GrpcErrors;
import pql.scoring.testing.SampleHistory;
import pql.v1.GetPqlMetricsRequest;
import pql.v1.Granularity;
import pql.v1.PeriodMetrics;
import pql.v1.PqlMetrics;

class MetricsServiceGrpcTest {

    @TempDir
    Path directory;

    private ScoringServerFixture fixture;
    private final SampleHistory history = SampleHistory.generate(5, 50, 40);

    @BeforeEach
    void start() throws Exception {
        fixture = new ScoringServerFixture(directory);
        fixture.append(history, 0, history.size());
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private static Timestamp at(String instant) {
        return Timestamp.newBuilder().setSeconds(java.time.Instant.parse(instant).getEpochSecond()).build();
    }

    @Test
    void thePqlCountIsTheLeadListsAndWeeksCountQualifications() {
        PqlMetrics metrics = fixture.metrics.getPqlMetrics(GetPqlMetricsRequest.newBuilder()
                .setFrom(at("2025-12-29T00:00:00Z")).setTo(at("2026-03-02T00:00:00Z")).build());
        assertThat(metrics.getGranularity()).isEqualTo(Granularity.GRANULARITY_WEEK);
        assertThat(metrics.getPeriodsCount()).isEqualTo(9);
        assertThat(metrics.getPeriods(0).getStart()).isEqualTo(at("2025-12-29T00:00:00Z"));
        long pqlsAtTheEnd = fixture.scoring.listAccountScores(pql.v1.ListAccountScoresRequest.newBuilder()
                .setAsOf(at("2026-03-02T00:00:00Z")).setPageSize(1)
                .setFilter(pql.v1.AccountScoreFilter.newBuilder().setPqlOnly(true)).build()).getTotalSize();
        assertThat(metrics.getPqls()).as("one PQL count: the lead list's").isEqualTo(pqlsAtTheEnd);
        assertThat(metrics.getPeriodsList().stream().mapToLong(PeriodMetrics::getNewPqls).sum())
                .as("qualifications in the range").isPositive();
        assertThat(metrics.getPeriodsList().stream().mapToLong(PeriodMetrics::getSignups).sum()).isEqualTo(50);
        assertThat(metrics.getAccounts()).isEqualTo(50);
        assertThat(metrics.getActivationDistributionList().stream().mapToLong(b -> b.getAccounts()).sum()).isEqualTo(50);
        assertThat(metrics.getPqls()).isPositive();
        assertThat(metrics.hasMedianTimeToPqlHours()).isTrue();
        assertThat(metrics.getP90TimeToPqlHours()).isGreaterThanOrEqualTo(metrics.getMedianTimeToPqlHours());
        assertThat(metrics.getPeriodsList()).allSatisfy(p -> {
            assertThat(p.hasPqlRate()).isEqualTo(p.getSignups() > 0);
            assertThat(p.hasTrialToPaidRate()).isEqualTo(p.getTrialsClosed() > 0);
            assertThat(p.hasPqlToCustomerRate()).isEqualTo(p.getNewPqls() > 0);
            if (p.hasTrialToPaidRate()) {
                assertThat(p.getTrialToPaidRate()).isBetween(0.0, 1.0);
            }
            assertThat(p.getPqlConversions()).isLessThanOrEqualTo(p.getConversions());
        });
        assertThat(metrics.getMau()).isGreaterThanOrEqualTo(metrics.getWau()).isGreaterThanOrEqualTo(metrics.getDau());
    }

    @Test
    void aRateWithNothingToDivideByIsAbsentAndDurationsAreHours() throws Exception {
        // issue #14: trialToPaidRate was 0.0 for a week with no closed trials, durations came as "266812s"
        PqlMetrics metrics = fixture.metrics.getPqlMetrics(GetPqlMetricsRequest.newBuilder()
                .setFrom(at("2025-12-29T00:00:00Z")).setTo(at("2026-03-02T00:00:00Z")).build());
        PeriodMetrics noClosedTrial = metrics.getPeriodsList().stream().filter(p -> p.getTrialsClosed() == 0)
                .findFirst().orElseThrow();
        // printed as the gateway prints it: fields without presence always, so a plain double showed as 0.0
        String json = com.google.protobuf.util.JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(noClosedTrial);
        assertThat(json).doesNotContain("trialToPaidRate");
        String whole = com.google.protobuf.util.JsonFormat.printer().print(metrics);
        assertThat(whole).doesNotContainPattern("\"[0-9.]+s\"")
                .containsPattern("\"medianTimeToPqlHours\": [0-9.]+");
    }

    @Test
    void monthsAreCalendarMonths() {
        PqlMetrics metrics = fixture.metrics.getPqlMetrics(GetPqlMetricsRequest.newBuilder()
                .setGranularity(Granularity.GRANULARITY_MONTH)
                .setFrom(at("2026-01-15T00:00:00Z")).setTo(at("2026-03-10T00:00:00Z")).build());
        assertThat(metrics.getPeriodsList()).extracting(PeriodMetrics::getStart).containsExactly(
                at("2026-01-01T00:00:00Z"), at("2026-02-01T00:00:00Z"), at("2026-03-01T00:00:00Z"));
    }

    @Test
    void badRangesAreInvalidArguments() {
        assertThat(field(GetPqlMetricsRequest.newBuilder().setFrom(at("2026-03-01T00:00:00Z"))
                .setTo(at("2026-01-01T00:00:00Z")).build())).isEqualTo("from");
        assertThat(field(GetPqlMetricsRequest.newBuilder().setGranularityValue(7).build())).isEqualTo("granularity");
        assertThat(field(GetPqlMetricsRequest.newBuilder().setFrom(at("2000-01-03T00:00:00Z"))
                .setTo(at("2026-01-01T00:00:00Z")).build())).as("too many periods").isEqualTo("from");
    }

    private String field(GetPqlMetricsRequest request) {
        try {
            fixture.metrics.getPqlMetrics(request);
            return "(no error)";
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            return GrpcErrors.fieldViolations(e).get(0).getField();
        }
    }
}
