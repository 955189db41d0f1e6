package pql.scoring.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
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
import pql.scoring.testing.Await;
import pql.scoring.testing.SampleHistory;
import pql.v1.AccountOrder;
import pql.v1.AccountScore;
import pql.v1.AccountScoreFilter;
import pql.v1.GetAccountScoreRequest;
import pql.v1.ListAccountScoresRequest;
import pql.v1.ListAccountScoresResponse;
import pql.v1.PqlKind;
import pql.v1.PqlTransition;
import pql.v1.ProductAction;
import pql.v1.SalesAssistanceRequested;
import pql.v1.ScoreView;
import pql.v1.StreamAccountScoresRequest;
import pql.v1.StreamAccountScoresResponse;
import pql.v1.TransitionKind;
import pql.v1.WatchPqlTransitionsRequest;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScoringServiceGrpcTest {

    @TempDir
    static Path directory;

    private ScoringServerFixture fixture;
    private final SampleHistory history = SampleHistory.generate(7, 40, 60);

    @BeforeAll
    void start() throws Exception {
        fixture = new ScoringServerFixture(directory);
        fixture.append(history, 0, history.size());
    }

    @AfterAll
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void getAccountScoreExplainsEveryNumber() {
        AccountScore score = fixture.scoring.getAccountScore(GetAccountScoreRequest.newBuilder()
                .setAccountId("acct-3").build());
        assertThat(score.getAccountId()).isEqualTo("acct-3");
        assertThat(score.getDefinitionVersion()).isEqualTo(1);
        assertThat(score.getEventsApplied()).isEqualTo(60);
        assertThat(score.getActivation().getStepsCount()).isEqualTo(6);
        assertThat(score.getActivation().getExplanation().getRule()).isEqualTo("activation.rate");
        assertThat(score.getEngagement().getExplanation().getFactorsList()).isNotEmpty();
        assertThat(score.getCommunication().getExplanation().getText()).contains("in the last 14 days");
        assertThat(score.getPql().getExplanationsList()).isNotEmpty();
        assertThat(score.getEngagement().getPercentile()).isBetween(0.0, 100.0);
        assertThat(score.getProfile().getName()).isEqualTo("Account acct-3");
    }

    @Test
    void asOfFoldsTheAccountsOwnStreamUpToThatInstant() {
        AccountScore now = fixture.scoring.getAccountScore(GetAccountScoreRequest.newBuilder()
                .setAccountId("acct-5").build());
        Timestamp firstSeen = now.getProfile().getFirstSeenAt();
        Timestamp dayLater = Timestamp.newBuilder().setSeconds(firstSeen.getSeconds() + 86_400).build();
        AccountScore then = fixture.scoring.getAccountScore(GetAccountScoreRequest.newBuilder()
                .setAccountId("acct-5").setAsOf(dayLater).build());
        assertThat(then.getAsOf()).isEqualTo(dayLater);
        assertThat(then.getEventsApplied()).isLessThan(now.getEventsApplied()).isPositive();

        AccountScore sameAsLive = fixture.scoring.getAccountScore(GetAccountScoreRequest.newBuilder()
                .setAccountId("acct-5").setDefinitionVersion(1).setAsOf(now.getAsOf()).build());
        assertThat(sameAsLive.getActivation()).isEqualTo(now.getActivation());
        assertThat(sameAsLive.getPql()).isEqualTo(now.getPql());
    }

    @Test
    void unknownAccountsAndVersionsAreNotFound() {
        assertThat(code(() -> fixture.scoring.getAccountScore(GetAccountScoreRequest.newBuilder()
                .setAccountId("nobody").build()))).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> fixture.scoring.getAccountScore(GetAccountScoreRequest.newBuilder()
                .setAccountId("acct-1").setDefinitionVersion(99).build()))).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> fixture.scoring.getAccountScore(GetAccountScoreRequest.newBuilder()
                .setAccountId("acct-1").setAsOf(Timestamp.newBuilder().setSeconds(1_000_000_000L)).build())))
                .as("before the account's first event").isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void pagesCoverTheSpectrumOnceInOrder() {
        // other tests may add accounts: count what the projection holds
        int accounts = fixture.module.servingProjection().accountCount();
        assertThat(accounts).isGreaterThanOrEqualTo(40);
        List<AccountScore> all = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListAccountScoresResponse page = fixture.scoring.listAccountScores(ListAccountScoresRequest.newBuilder()
                    .setPageSize(7).setPageToken(token).setView(ScoreView.SCORE_VIEW_BASIC).build());
            assertThat(page.getTotalSize()).isEqualTo(accounts);
            all.addAll(page.getScoresList());
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertThat(pages).isEqualTo((accounts + 6) / 7);
        assertThat(all).hasSize(accounts);
        assertThat(all.stream().map(AccountScore::getAccountId).distinct()).hasSize(accounts);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i - 1).getEngagement().getScore())
                    .isGreaterThanOrEqualTo(all.get(i).getEngagement().getScore());
        }
        assertThat(all.get(0).getActivation().getStepsCount()).as("BASIC view").isZero();
        assertThat(all.get(0).getChampionsCount()).isZero();
    }

    @Test
    void filtersNarrowTheSpectrum() {
        ListAccountScoresResponse pqls = fixture.scoring.listAccountScores(ListAccountScoresRequest.newBuilder()
                .setFilter(AccountScoreFilter.newBuilder().setPqlOnly(true))
                .setOrderBy(AccountOrder.ACCOUNT_ORDER_QUALIFIED_AT_DESC).setPageSize(1000).build());
        assertThat(pqls.getScoresList()).allSatisfy(s -> assertThat(s.getPql().getIsPql()).isTrue());
        assertThat(pqls.getTotalSize()).isPositive().isLessThan(fixture.module.servingProjection().accountCount());
        ListAccountScoresResponse handRaisers = fixture.scoring.listAccountScores(ListAccountScoresRequest.newBuilder()
                .setFilter(AccountScoreFilter.newBuilder().addKinds(PqlKind.PQL_KIND_HAND_RAISER)).build());
        assertThat(handRaisers.getScoresList()).allSatisfy(s -> assertThat(s.getPql().getKindsList())
                .contains(PqlKind.PQL_KIND_HAND_RAISER));
    }

    @Test
    void streamingSendsChunksAndThenOnlyWhatChanged() {
        int accounts = fixture.module.servingProjection().accountCount();
        List<StreamAccountScoresResponse> chunks = new ArrayList<>();
        fixture.scoring.streamAccountScores(StreamAccountScoresRequest.newBuilder().build()).forEachRemaining(chunks::add);
        assertThat(chunks.stream().mapToInt(StreamAccountScoresResponse::getScoresCount).sum()).isEqualTo(accounts);
        long head = chunks.get(0).getHeadPosition();
        assertThat(head).isEqualTo(fixture.store.headPosition());

        fixture.store.append(pql.eventstore.StreamIds.forAccount("acct-9"), pql.eventstore.ExpectedVersion.ANY,
                List.of(SampleHistory.envelope("acct-9", 1000, SampleHistory.START.plusSeconds(86_400 * 40),
                        ProductAction.newBuilder().setUserId("u0").setAction("report_created").build())));
        fixture.awaitCaughtUp();
        List<AccountScore> changed = new ArrayList<>();
        fixture.scoring.streamAccountScores(StreamAccountScoresRequest.newBuilder().setChangedAfterPosition(head).build())
                .forEachRemaining(chunk -> changed.addAll(chunk.getScoresList()));
        assertThat(changed).extracting(AccountScore::getAccountId).containsExactly("acct-9");
    }

    @Test
    void anAsOfExportReplaysTheLogIntoATemporaryProjection() {
        Timestamp asOf = Timestamp.newBuilder().setSeconds(SampleHistory.START.getEpochSecond() + 86_400 * 10).build();
        List<AccountScore> scores = new ArrayList<>();
        fixture.scoring.streamAccountScores(StreamAccountScoresRequest.newBuilder().setAsOf(asOf).build())
                .forEachRemaining(chunk -> scores.addAll(chunk.getScoresList()));
        assertThat(scores).isNotEmpty().hasSizeLessThanOrEqualTo(40);
        assertThat(scores).allSatisfy(s -> assertThat(s.getAsOf()).isEqualTo(asOf));
        AccountScore folded = fixture.scoring.getAccountScore(GetAccountScoreRequest.newBuilder()
                .setAccountId(scores.get(0).getAccountId()).setAsOf(asOf).build());
        assertThat(folded.getActivation()).isEqualTo(scores.get(0).getActivation());
        assertThat(folded.getEventsApplied()).isEqualTo(scores.get(0).getEventsApplied());
    }

    @Test
    void watchersGetRecentTransitionsThenLiveOnes() {
        List<PqlTransition> received = new CopyOnWriteArrayList<>();
        var call = io.grpc.Context.current().withCancellation();
        call.run(() -> fixture.scoringAsync.watchPqlTransitions(WatchPqlTransitionsRequest.newBuilder()
                .setAccountId("fresh-1").setRecent(10).build(), collector(received::add)));
        var account = "fresh-1";
        fixture.store.append(pql.eventstore.StreamIds.forAccount(account), pql.eventstore.ExpectedVersion.ANY,
                List.of(SampleHistory.envelope(account, 0, SampleHistory.START,
                        SalesAssistanceRequested.newBuilder().setUserId("ceo").build())));
        Await.until("a live BECAME_PQL", () -> !received.isEmpty());
        assertThat(received.get(0).getKind()).isEqualTo(TransitionKind.TRANSITION_KIND_BECAME_PQL);
        assertThat(received.get(0).getKindsAfterList()).containsExactly(PqlKind.PQL_KIND_HAND_RAISER);
        assertThat(received.get(0).getExplanation().getText()).startsWith("became a PQL");
        call.cancel(null);

        List<PqlTransition> later = new CopyOnWriteArrayList<>();
        var second = io.grpc.Context.current().withCancellation();
        second.run(() -> fixture.scoringAsync.watchPqlTransitions(WatchPqlTransitionsRequest.newBuilder()
                .setAccountId(account).setRecent(5).build(), collector(later::add)));
        Await.until("the recent transition", () -> !later.isEmpty());
        assertThat(later.get(0).getAccountId()).isEqualTo(account);
        second.cancel(null);
    }

    private static <T> StreamObserver<T> collector(Consumer<T> sink) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                sink.accept(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    @Test
    void theLeadListFiltersByStatusAndOwnerAndSortsByExpectedValueWithATotal() {
        ListAccountScoresRequest open = ListAccountScoresRequest.newBuilder()
                .setFilter(AccountScoreFilter.newBuilder().addStatuses(pql.v1.LeadStatus.LEAD_STATUS_OPEN))
                .setOrderBy(AccountOrder.ACCOUNT_ORDER_EXPECTED_VALUE_DESC).setPageSize(1000).build();
        ListAccountScoresResponse everyOpen = fixture.scoring.listAccountScores(open);
        ListAccountScoresResponse all = fixture.scoring.listAccountScores(ListAccountScoresRequest.newBuilder()
                .setPageSize(1000).build());

        assertThat(everyOpen.getScoresList()).isNotEmpty().allSatisfy(score ->
                assertThat(score.getLead().getStatus()).isEqualTo(pql.v1.LeadStatus.LEAD_STATUS_OPEN));
        assertThat(everyOpen.getTotalSize()).isEqualTo(everyOpen.getScoresCount())
                .isEqualTo(all.getScoresList().stream()
                        .filter(score -> score.getLead().getStatus() == pql.v1.LeadStatus.LEAD_STATUS_OPEN).count());
        assertThat(all.getScoresList()).as("the sample has closed trials").anySatisfy(score ->
                assertThat(score.getLead().getStatus()).isNotEqualTo(pql.v1.LeadStatus.LEAD_STATUS_OPEN));
        List<Long> values = everyOpen.getScoresList().stream().filter(score -> score.getLead().hasExpectedValue())
                .map(score -> score.getLead().getExpectedValue().getAmountMicros()).toList();
        assertThat(values).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        String owner = all.getScores(0).getProfile().getOwner();
        ListAccountScoresResponse byOwner = fixture.scoring.listAccountScores(ListAccountScoresRequest.newBuilder()
                .setFilter(AccountScoreFilter.newBuilder().addOwners(owner.toUpperCase(java.util.Locale.ROOT)))
                .setPageSize(1000).build());
        assertThat(byOwner.getScoresList()).isNotEmpty()
                .allSatisfy(score -> assertThat(score.getProfile().getOwner()).isEqualToIgnoringCase(owner));
    }

    @Test
    void aBadPersonaOrStatusInTheFilterSaysWhichValuesAreValid() {
        assertThatThrownBy(() -> fixture.scoring.listAccountScores(ListAccountScoresRequest.newBuilder()
                .setFilter(AccountScoreFilter.newBuilder().addPersonasValue(99).addStatusesValue(0)).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(GrpcErrors.fieldViolations(e)).extracting(v -> v.getField() + ": " + v.getDescription())
                            .containsExactly("filter.personas[0]: unknown value; one of golden_lead, silent_success,"
                                    + " contrary_converter, positive_procrastinator, fizzler, incompatible_ignoramus,"
                                    + " heartbreaker",
                                    "filter.statuses[0]: unspecified; one of open, converted, lost, churned, paid, freemium");
                });
    }

    Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("empty account id", (Runnable) () -> fixture.scoring.getAccountScore(
                        GetAccountScoreRequest.newBuilder().build()), "account_id"),
                Arguments.of("account id with spaces", (Runnable) () -> fixture.scoring.getAccountScore(
                        GetAccountScoreRequest.newBuilder().setAccountId("a b").build()), "account_id"),
                Arguments.of("negative version", (Runnable) () -> fixture.scoring.getAccountScore(
                        GetAccountScoreRequest.newBuilder().setAccountId("acct-1").setDefinitionVersion(-1).build()),
                        "definition_version"),
                Arguments.of("bad timestamp", (Runnable) () -> fixture.scoring.getAccountScore(
                        GetAccountScoreRequest.newBuilder().setAccountId("acct-1")
                                .setAsOf(Timestamp.newBuilder().setNanos(-5)).build()), "as_of"),
                Arguments.of("page size too big", (Runnable) () -> fixture.scoring.listAccountScores(
                        ListAccountScoresRequest.newBuilder().setPageSize(1001).build()), "page_size"),
                Arguments.of("negative page size", (Runnable) () -> fixture.scoring.listAccountScores(
                        ListAccountScoresRequest.newBuilder().setPageSize(-1).build()), "page_size"),
                Arguments.of("garbage page token", (Runnable) () -> fixture.scoring.listAccountScores(
                        ListAccountScoresRequest.newBuilder().setPageToken("not-a-token!").build()), "page_token"),
                Arguments.of("token of another filter", (Runnable) () -> fixture.scoring.listAccountScores(
                        ListAccountScoresRequest.newBuilder().setPageToken(tokenOfFirstPage())
                                .setFilter(AccountScoreFilter.newBuilder().setPqlOnly(true)).build()), "page_token"),
                Arguments.of("unknown order", (Runnable) () -> fixture.scoring.listAccountScores(
                        ListAccountScoresRequest.newBuilder().setOrderByValue(42).build()), "order_by"),
                Arguments.of("unknown view", (Runnable) () -> fixture.scoring.listAccountScores(
                        ListAccountScoresRequest.newBuilder().setViewValue(9).build()), "view"),
                Arguments.of("unspecified kind in filter", (Runnable) () -> fixture.scoring.listAccountScores(
                        ListAccountScoresRequest.newBuilder().setFilter(AccountScoreFilter.newBuilder()
                                .addKinds(PqlKind.PQL_KIND_HAND_RAISER).addKindsValue(0)).build()), "filter.kinds[1]"),
                Arguments.of("unknown level in filter", (Runnable) () -> fixture.scoring.listAccountScores(
                        ListAccountScoresRequest.newBuilder().setFilter(AccountScoreFilter.newBuilder()
                                .addActivationLevelsValue(17)).build()), "filter.activation_levels[0]"),
                Arguments.of("unknown persona in filter", (Runnable) () -> fixture.scoring.listAccountScores(
                        ListAccountScoresRequest.newBuilder().setFilter(AccountScoreFilter.newBuilder()
                                .addPersonas(pql.v1.Persona.PERSONA_FIZZLER).addPersonasValue(99)).build()),
                        "filter.personas[1]"),
                Arguments.of("unspecified status in filter", (Runnable) () -> fixture.scoring.listAccountScores(
                        ListAccountScoresRequest.newBuilder().setFilter(AccountScoreFilter.newBuilder()
                                .addStatusesValue(0)).build()), "filter.statuses[0]"),
                Arguments.of("unknown status in an export's filter", (Runnable) () -> fixture.scoring.streamAccountScores(
                        StreamAccountScoresRequest.newBuilder().setFilter(AccountScoreFilter.newBuilder()
                                .addStatusesValue(42)).build()).hasNext(), "filter.statuses[0]"),
                Arguments.of("negative changed_after_position", (Runnable) () -> fixture.scoring.streamAccountScores(
                        StreamAccountScoresRequest.newBuilder().setChangedAfterPosition(-1).build()).hasNext(),
                        "changed_after_position"),
                Arguments.of("too many recent transitions", (Runnable) () -> fixture.scoring.watchPqlTransitions(
                        WatchPqlTransitionsRequest.newBuilder().setRecent(5000).build()).hasNext(), "recent"));
    }

    private String tokenOfFirstPage() {
        return fixture.scoring.listAccountScores(ListAccountScoresRequest.newBuilder().setPageSize(2).build())
                .getNextPageToken();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestsAreInvalidArgumentsNamingTheField(String name, Runnable call, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(GrpcErrors.fieldViolations(e)).extracting(v -> v.getField()).contains(field);
        });
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
