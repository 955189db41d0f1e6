package pql.scoring.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pql.common.grpc.GrpcErrors;
import pql.eventstore.AppendRequest;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamIds;
import pql.eventstore.StreamVersions;
import pql.scoring.KnownAtSettings;
import pql.scoring.ScoringSettings;
import pql.scoring.testing.SampleHistory;
import pql.v1.AccountProfiled;
import pql.v1.AccountScore;
import pql.v1.EventEnvelope;
import pql.v1.GetAccountScoreRequest;
import pql.v1.GetPqlMetricsRequest;
import pql.v1.ListAccountScoresRequest;
import pql.v1.ListAccountScoresResponse;
import pql.v1.Money;
import pql.v1.Plan;
import pql.v1.PqlMetrics;
import pql.v1.ProductAction;
import pql.v1.StreamAccountScoresRequest;
import pql.v1.StreamAccountScoresResponse;

/**
 * known_at over gRPC, per endpoint, with the server's clock pinned: answers echo their instants and
 * the log position they include; a backfill recorded later changes nothing known before it; future
 * as_of and known_at are INVALID_ARGUMENT naming the field.
 *
 * <p>Given 40 accounts of the sample history (2,400 events dated from 2026-01-01) appended in batches
 * of 50, batch n recorded at 2026-03-01 + n minutes, after the definition the module published when
 * it started (2026-02-28); the server's clock then says 2026-06-01.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KnownAtGrpcTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final Instant RECORDED_FROM = Instant.parse("2026-03-01T00:00:00Z");
    /** Known at: 20 batches recorded (1,000 of the 2,400 events). */
    private static final Instant T = RECORDED_FROM.plus(Duration.ofMinutes(19));
    private static final Instant AS_OF = Instant.parse("2026-01-25T00:00:00Z");

    @TempDir
    static Path directory;

    private ScoringServerFixture fixture;
    private int batches;
    /** Before the history while the module starts (the definition it publishes is recorded first), then NOW. */
    private final MovableClock clock = new MovableClock(RECORDED_FROM.minus(Duration.ofDays(1)));

    @BeforeAll
    void start() throws Exception {
        ScoringSettings settings = new ScoringSettings().setKnownAt(new KnownAtSettings().setMinSnapshotSpacing(200)
                .setKeepFor(io.dropwizard.util.Duration.milliseconds(0)));
        fixture = new ScoringServerFixture(directory, settings, clock);
        appendRecorded(SampleHistory.generate(11, 40, 60).events());
        fixture.awaitCaughtUp();
        clock.now = NOW;
    }

    @AfterAll
    void stop() throws Exception {
        fixture.close();
    }

    private void appendRecorded(List<EventEnvelope> events) {
        for (int i = 0; i < events.size(); i += 50) {
            Timestamp recorded = SampleHistory.ts(RECORDED_FROM.plus(Duration.ofMinutes(batches++)));
            List<AppendRequest> requests = new ArrayList<>();
            for (EventEnvelope event : events.subList(i, Math.min(events.size(), i + 50))) {
                requests.add(new AppendRequest(StreamIds.forAccount(event.getAccountId()), ExpectedVersion.ANY,
                        List.of(event.toBuilder().setRecordedAt(recorded).build())));
            }
            fixture.store.append(requests);
        }
    }

    /** Events dated before T's as_of, recorded after everything else: for known accounts and for new ones. */
    private void backfill(String tag) {
        List<EventEnvelope> late = new ArrayList<>();
        Instant dated = AS_OF.minus(Duration.ofDays(2));
        for (int i = 0; i < 10; i++) {
            late.add(SampleHistory.envelope("late-" + tag + "-" + i, 0, dated, AccountProfiled.newBuilder()
                    .setPlan(Plan.PLAN_TRIAL).setDealSize(Money.newBuilder().setAmountMicros(9_000_000_000L)
                            .setCurrency("USD")).build()));
            late.add(SampleHistory.envelope("acct-" + i, 5000 + i, dated, ProductAction.newBuilder().setUserId("u0")
                    .setAction("integration_enabled").build()).toBuilder().setEventId("late-" + tag + "-action-" + i).build());
        }
        appendRecorded(late);
        fixture.awaitCaughtUp();
    }

    private static Timestamp ts(Instant instant) {
        return SampleHistory.ts(instant);
    }

    /** Position of the last of the first 20 batches: what T knows. */
    private long positionOfT() {
        return positionKnownAt(T);
    }

    /** The last position whose event and every one before it were recorded by {@code knownAt}. */
    private long positionKnownAt(Instant knownAt) {
        long last = StreamVersions.BEFORE_FIRST_POSITION;
        for (StoredEvent event : fixture.store.readAll(StreamVersions.BEFORE_FIRST_POSITION, 100_000)) {
            if (event.envelope().getRecordedAt().getSeconds() > knownAt.getEpochSecond()) {
                break;
            }
            last = event.globalPosition();
        }
        return last;
    }

    private List<StreamAccountScoresResponse> stream(StreamAccountScoresRequest request) {
        List<StreamAccountScoresResponse> chunks = new ArrayList<>();
        fixture.scoring.streamAccountScores(request).forEachRemaining(chunks::add);
        return chunks;
    }

    @Test
    void eachReadKnownAtTIsTheSameBeforeAndAfterABackfillAndEchoesItsInstants() {
        GetAccountScoreRequest one = GetAccountScoreRequest.newBuilder().setAccountId("acct-3").setAsOf(ts(AS_OF))
                .setKnownAt(ts(T)).build();
        ListAccountScoresRequest page = ListAccountScoresRequest.newBuilder().setAsOf(ts(AS_OF)).setKnownAt(ts(T))
                .setPageSize(1000).build();
        StreamAccountScoresRequest export = StreamAccountScoresRequest.newBuilder().setAsOf(ts(AS_OF)).setKnownAt(ts(T))
                .build();
        StreamAccountScoresRequest exportNow = StreamAccountScoresRequest.newBuilder().setAsOf(ts(AS_OF)).build();

        AccountScore scoreBefore = fixture.scoring.getAccountScore(one);
        ListAccountScoresResponse pageBefore = fixture.scoring.listAccountScores(page);
        List<StreamAccountScoresResponse> exportBefore = stream(export);
        List<StreamAccountScoresResponse> exportNowBefore = stream(exportNow);

        long p = positionOfT();
        assertThat(p).isPositive().isLessThan(fixture.store.headPosition());
        assertThat(scoreBefore.getKnownAt()).isEqualTo(ts(T));
        assertThat(scoreBefore.getAsOf()).isEqualTo(ts(AS_OF));
        assertThat(scoreBefore.getHeadPosition()).isEqualTo(p);
        assertThat(scoreBefore.getLogPosition()).isLessThanOrEqualTo(p);
        assertThat(pageBefore.getKnownAt()).isEqualTo(ts(T));
        assertThat(pageBefore.getAsOf()).isEqualTo(ts(AS_OF));
        assertThat(pageBefore.getHeadPosition()).isEqualTo(p);
        assertThat(exportBefore).allSatisfy(chunk -> {
            assertThat(chunk.getHeadPosition()).isEqualTo(p);
            assertThat(chunk.getKnownAt()).isEqualTo(ts(T));
            assertThat(chunk.getAsOf()).isEqualTo(ts(AS_OF));
        });
        List<AccountScore> exported = exportBefore.stream().flatMap(c -> c.getScoresList().stream()).toList();
        assertThat(exported).hasSize((int) pageBefore.getTotalSize());
        assertThat(exported).allSatisfy(score -> assertThat(score.getLogPosition()).isLessThanOrEqualTo(p));
        assertThat(exported.stream().filter(s -> s.getAccountId().equals("acct-3")).findFirst().orElseThrow())
                .as("one account read alone equals its line of the export")
                .isEqualTo(scoreBefore.toBuilder().clearKnownAt().clearHeadPosition().build());

        backfill("a");

        assertThat(fixture.scoring.getAccountScore(one).toByteArray()).isEqualTo(scoreBefore.toByteArray());
        assertThat(fixture.scoring.listAccountScores(page).toByteArray()).isEqualTo(pageBefore.toByteArray());
        List<StreamAccountScoresResponse> exportAfter = stream(export);
        assertThat(exportAfter).hasSameSizeAs(exportBefore);
        for (int i = 0; i < exportBefore.size(); i++) {
            assertThat(exportAfter.get(i).toByteArray()).isEqualTo(exportBefore.get(i).toByteArray());
        }
        List<AccountScore> nowAfter = stream(exportNow).stream().flatMap(c -> c.getScoresList().stream()).toList();
        assertThat(nowAfter).as("without known_at the backfill counts")
                .hasSize(exportNowBefore.stream().mapToInt(StreamAccountScoresResponse::getScoresCount).sum() + 10);
    }

    @Test
    void theSpectrumAsOfAnInstantAloneIsWhatTheAsOfExportGivesAccountByAccount() {
        ListAccountScoresRequest page = ListAccountScoresRequest.newBuilder().setAsOf(ts(AS_OF)).setPageSize(1000)
                .setOrderBy(pql.v1.AccountOrder.ACCOUNT_ORDER_ACCOUNT_ID).setView(pql.v1.ScoreView.SCORE_VIEW_FULL).build();
        ListAccountScoresResponse listed = fixture.scoring.listAccountScores(page);
        List<AccountScore> exported = stream(StreamAccountScoresRequest.newBuilder().setAsOf(ts(AS_OF)).build()).stream()
                .flatMap(chunk -> chunk.getScoresList().stream()).toList();

        assertThat(listed.getAsOf()).isEqualTo(ts(AS_OF));
        assertThat(listed.hasKnownAt()).isFalse();
        assertThat(listed.getHeadPosition()).as("everything recorded so far").isEqualTo(fixture.store.headPosition());
        assertThat(listed.getScoresList()).isNotEmpty().allSatisfy(score -> assertThat(score.getAsOf()).isEqualTo(ts(AS_OF)));
        assertThat(listed.getScoresList()).isEqualTo(exported);
    }

    @Test
    void knownAtBeforeAnythingWasRecordedKnowsNothing() {
        Timestamp early = ts(RECORDED_FROM.minusSeconds(1));
        assertThat(code(() -> fixture.scoring.getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId("acct-3")
                .setKnownAt(early).build()))).isEqualTo(Status.Code.NOT_FOUND);
        ListAccountScoresResponse nothing = fixture.scoring.listAccountScores(ListAccountScoresRequest.newBuilder()
                .setKnownAt(early).build());
        assertThat(nothing.getTotalSize()).isZero();
        assertThat(nothing.getHeadPosition()).as("the definition published before the history").isEqualTo(
                positionKnownAt(RECORDED_FROM.minusSeconds(1))).isPositive();
    }

    @Test
    void pageTokensOfOneKnownAtDoNotContinueAnother() {
        String token = fixture.scoring.listAccountScores(ListAccountScoresRequest.newBuilder().setKnownAt(ts(T))
                .setPageSize(3).build()).getNextPageToken();
        assertThat(token).isNotEmpty();
        assertThat(fixture.scoring.listAccountScores(ListAccountScoresRequest.newBuilder().setKnownAt(ts(T))
                .setPageSize(3).setPageToken(token).build()).getScoresCount()).isEqualTo(3);
        assertThatThrownBy(() -> fixture.scoring.listAccountScores(ListAccountScoresRequest.newBuilder()
                .setKnownAt(ts(T.plusSeconds(60))).setPageSize(3).setPageToken(token).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(GrpcErrors.fieldViolations(e))
                        .extracting(v -> v.getField()).containsExactly("page_token"));
    }

    @Test
    void metricsKnownAtCountOnlyTheAccountsKnownThen() {
        GetPqlMetricsRequest request = GetPqlMetricsRequest.newBuilder().setFrom(ts(Instant.parse("2025-12-29T00:00:00Z")))
                .setTo(ts(Instant.parse("2026-03-02T00:00:00Z"))).setKnownAt(ts(T)).build();
        PqlMetrics known = fixture.metrics.getPqlMetrics(request);
        long accountsKnown = fixture.scoring.listAccountScores(ListAccountScoresRequest.newBuilder().setKnownAt(ts(T))
                .setPageSize(1).build()).getTotalSize();
        assertThat(known.getAccounts()).isEqualTo(accountsKnown).isPositive();
        assertThat(known.getKnownAt()).isEqualTo(ts(T));
        assertThat(known.getAsOf()).isEqualTo(ts(Instant.parse("2026-03-02T00:00:00Z")));
        assertThat(known.getHeadPosition()).isEqualTo(positionOfT());

        backfill("m");
        assertThat(fixture.metrics.getPqlMetrics(request).toByteArray()).isEqualTo(known.toByteArray());
        assertThat(fixture.metrics.getPqlMetrics(request.toBuilder().clearKnownAt().build()).getAccounts())
                .as("the backfill's new accounts, without known_at").isGreaterThanOrEqualTo(known.getAccounts() + 10);
    }

    @Test
    void knownAtEarlierThanAsOfIsAllowedAndAnInstantWithinTheClockSkewIsNotTheFuture() {
        AccountScore score = fixture.scoring.getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId("acct-3")
                .setKnownAt(ts(T)).setAsOf(ts(NOW)).build());
        assertThat(score.getAsOf()).isEqualTo(ts(NOW));
        assertThat(fixture.scoring.getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId("acct-3")
                .setKnownAt(ts(NOW.plus(Duration.ofMinutes(4)))).setAsOf(ts(NOW.plus(Duration.ofMinutes(4)))).build())
                .getHeadPosition()).isEqualTo(fixture.store.headPosition());
    }

    Stream<Arguments> futureInstants() {
        Timestamp future = ts(NOW.plus(Duration.ofMinutes(6)));
        Timestamp year2030 = ts(Instant.parse("2030-01-01T00:00:00Z"));
        return Stream.of(
                Arguments.of("GetAccountScore as_of 2030", (Runnable) () -> fixture.scoring.getAccountScore(
                        GetAccountScoreRequest.newBuilder().setAccountId("acct-1").setAsOf(year2030).build()), "as_of"),
                Arguments.of("GetAccountScore known_at in 6 min", (Runnable) () -> fixture.scoring.getAccountScore(
                        GetAccountScoreRequest.newBuilder().setAccountId("acct-1").setKnownAt(future).build()), "known_at"),
                Arguments.of("ListAccountScores as_of in 6 min", (Runnable) () -> fixture.scoring.listAccountScores(
                        ListAccountScoresRequest.newBuilder().setAsOf(future).build()), "as_of"),
                Arguments.of("ListAccountScores known_at 2030", (Runnable) () -> fixture.scoring.listAccountScores(
                        ListAccountScoresRequest.newBuilder().setKnownAt(year2030).build()), "known_at"),
                Arguments.of("StreamAccountScores as_of 2030", (Runnable) () -> fixture.scoring.streamAccountScores(
                        StreamAccountScoresRequest.newBuilder().setAsOf(year2030).build()).hasNext(), "as_of"),
                Arguments.of("StreamAccountScores known_at in 6 min", (Runnable) () -> fixture.scoring.streamAccountScores(
                        StreamAccountScoresRequest.newBuilder().setKnownAt(future).build()).hasNext(), "known_at"),
                Arguments.of("GetPqlMetrics known_at 2030", (Runnable) () -> fixture.metrics.getPqlMetrics(
                        GetPqlMetricsRequest.newBuilder().setKnownAt(year2030).build()), "known_at"),
                Arguments.of("GetAccountScore known_at not a timestamp", (Runnable) () -> fixture.scoring.getAccountScore(
                        GetAccountScoreRequest.newBuilder().setAccountId("acct-1")
                                .setKnownAt(Timestamp.newBuilder().setNanos(-1)).build()), "known_at"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("futureInstants")
    void futureInstantsAreInvalidArgumentsNamingTheField(String name, Runnable call, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(GrpcErrors.fieldViolations(e)).extracting(v -> v.getField()).containsExactly(field);
            if (!name.endsWith("not a timestamp")) {
                assertThat(GrpcErrors.fieldViolations(e).get(0).getDescription()).startsWith("is in the future")
                        .contains("5 minutes");
            }
        });
    }

    private static final class MovableClock extends Clock {
        volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static Status.Code code(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }
}
