package pql.forecast.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static pql.forecast.support.Scores.account;
import static pql.forecast.support.Scores.timestamp;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pql.common.grpc.GrpcErrors;
import pql.common.telemetry.Telemetry;
import pql.forecast.ForecastModule;
import pql.forecast.ForecastSettings;
import pql.forecast.support.ScoringServiceFixture;
import pql.v1.*;

/**
 * ForecastService over in-process gRPC, reading scores from an in-process scoring fixture
 * ({@link ScoringServiceFixture}) over gRPC too.
 */
class ForecastGrpcServiceTest {

    private static final Instant NOW = Instant.parse("2025-03-01T00:00:00Z");

    private ScoringServiceFixture scoring;
    private ManagedChannel scoringChannel;
    private ForecastModule module;
    private Server server;
    private ManagedChannel channel;
    private ForecastServiceGrpc.ForecastServiceBlockingStub forecasts;

    @BeforeEach
    void start() throws Exception {
        scoring = ScoringServiceFixture.inProcess();
        scoring.publish(1, Map.of());
        scoring.put(1, portfolio());
        scoringChannel = InProcessChannelBuilder.forName(scoring.name()).directExecutor().build();
        startForecast(scoringChannel);
    }

    private void startForecast(io.grpc.Channel toScoring) throws Exception {
        module = new ForecastModule(new ForecastSettings().setWarmOnStart(false), toScoring, Telemetry.noop(),
                Clock.fixed(NOW, ZoneOffset.UTC));
        module.start();
        String name = "forecast-" + UUID.randomUUID();
        InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
        module.services().forEach(builder::addService);
        server = builder.build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        forecasts = ForecastServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        server.shutdownNow();
        module.close();
        scoringChannel.shutdownNow();
        scoring.close();
    }

    /** One open trial of each persona, and the trials a forecast leaves out. */
    private static List<AccountScore> portfolio() {
        return List.of(
                account("a1").persona(Persona.PERSONA_GOLDEN_LEAD).deal("12345.67").size(OpportunitySize.OPPORTUNITY_SIZE_LARGE).position(1).build(),
                account("a2").persona(Persona.PERSONA_SILENT_SUCCESS).deal("8000.00").owner("bob").trialEnd("2025-04-02T00:00:00Z").position(2).build(),
                account("a3").persona(Persona.PERSONA_CONTRARY_CONVERTER).deal("10000.01").position(3).build(),
                account("a4").persona(Persona.PERSONA_POSITIVE_PROCRASTINATOR).deal("3333.33").owner("bob").position(4).build(),
                account("a5").persona(Persona.PERSONA_FIZZLER).deal("4999.99").trialEnd(null).position(5).build(),
                account("a6").persona(Persona.PERSONA_INCOMPATIBLE_IGNORAMUS).deal("2000.00").owner("bob").position(6).build(),
                account("a7").persona(Persona.PERSONA_HEARTBREAKER).deal("25000.00").position(7).build(),
                account("x1").persona(Persona.PERSONA_GOLDEN_LEAD).deal("9999.00", "EUR").position(8).build(),
                account("x2").persona(Persona.PERSONA_GOLDEN_LEAD).noDeal().position(9).build(),
                account("x3").persona(Persona.PERSONA_FIZZLER).deal("5000.00")
                        .closed(OutcomeKind.OUTCOME_KIND_CONVERTED, "2025-02-01T00:00:00Z", Persona.PERSONA_GOLDEN_LEAD).position(10).build(),
                account("x4").persona(Persona.PERSONA_HEARTBREAKER).deal("5000.00")
                        .closed(OutcomeKind.OUTCOME_KIND_LOST, "2025-02-03T00:00:00Z", Persona.PERSONA_HEARTBREAKER).position(11).build());
    }

    // ------------------------------------------------------------------ GetForecast

    @Test
    void theForecastOfASmallPortfolioMatchesTheHandComputedOneToTheCent() {
        Forecast forecast = forecasts.getForecast(GetForecastRequest.getDefaultInstance());

        assertThat(forecast.getCurrency()).isEqualTo("USD");
        assertThat(forecast.getDefinitionVersion()).isEqualTo(1);
        assertThat(forecast.getAsOf()).isEqualTo(timestamp("2025-03-01T00:00:00Z"));
        assertThat(forecast.getOpenTrials()).isEqualTo(7);
        assertThat(forecast.getPipeline().getAmountMicros()).isEqualTo(65_679_000_000L);
        // 11111.103 + 6000 + 6000.006 + 999.999 + 499.999 + 100 + 1250
        assertThat(forecast.getExpectedRevenue()).isEqualTo(Money.newBuilder().setAmountMicros(25_961_107_000L).setCurrency("USD").build());
        assertThat(forecast.getSkippedOtherCurrency()).isEqualTo(1);
        assertThat(forecast.getSkippedNoDealSize()).isEqualTo(1);
        assertThat(forecast.getApproximateClassifications()).isZero();
        RevenueRange range = forecast.getRange();
        assertThat(range.getMethod()).startsWith("exact");
        assertThat(range.getP10().getAmountMicros()).isLessThanOrEqualTo(range.getP50().getAmountMicros());
        assertThat(range.getP50().getAmountMicros()).isLessThanOrEqualTo(range.getP90().getAmountMicros());
        assertThat(range.getP10().getAmountMicros()).isLessThanOrEqualTo(25_961_107_000L);
        assertThat(range.getP90().getAmountMicros()).isGreaterThanOrEqualTo(25_961_107_000L);
        assertThat(forecast.getGroupsList()).isEmpty();
    }

    @Test
    void dealSizesOfTheLargestInt64StoredBeforeTheLimitStillGiveAForecast() {
        // issue #13: these took GetForecast down with INTERNAL ("long overflow") for every caller
        scoring.put(1, account("h1").persona(Persona.PERSONA_HEARTBREAKER).deal("9223372036854.775807").position(12).build(),
                account("h2").persona(Persona.PERSONA_HEARTBREAKER).deal("9223372036854.775807").position(13).build());

        Forecast forecast = forecasts.getForecast(GetForecastRequest.newBuilder()
                .addGroupBy(ForecastDimension.FORECAST_DIMENSION_PERSONA).build());

        assertThat(forecast.getOpenTrials()).isEqualTo(9);
        // 25961.107 + 2 x 461,168,601,842.73879035 (Heartbreaker 5%, half-even per trial)
        assertThat(forecast.getExpectedRevenue().getAmountMicros()).isEqualTo(25_961_107_000L + 922_337_203_685_477_580L);
        assertThat(forecast.getExpectedRevenue().getExactAmount()).as("fits amount_micros: not set").isEmpty();
        // 65,679 + 2 x 9,223,372,036,854.775807 units: beyond an int64 of micros, exact in exact_amount
        assertThat(forecast.getPipeline().getExactAmount()).isEqualTo("18446744139388.551614");
        assertThat(forecast.getPipeline().getAmountMicros()).isEqualTo(Long.MAX_VALUE);
        ForecastGroup heartbreakers = forecast.getGroupsList().stream()
                .filter(group -> group.getPersona() == Persona.PERSONA_HEARTBREAKER).findFirst().orElseThrow();
        assertThat(heartbreakers.getOpenTrials()).isEqualTo(3);
        assertThat(heartbreakers.getPipeline().getExactAmount()).isEqualTo("18446744098709.551614");
        assertThat(new java.math.BigDecimal(heartbreakers.getRange().getP90().getExactAmount().isEmpty()
                ? java.math.BigDecimal.valueOf(heartbreakers.getRange().getP90().getAmountMicros(), 6).toPlainString()
                : heartbreakers.getRange().getP90().getExactAmount()))
                .as("P90 within the group's pipeline").isLessThanOrEqualTo(new java.math.BigDecimal("18446744098709.551614"));
    }

    @Test
    void groupsAreTheCrossProductOfTheAskedDimensions() {
        Forecast forecast = forecasts.getForecast(GetForecastRequest.newBuilder()
                .addGroupBy(ForecastDimension.FORECAST_DIMENSION_PERSONA)
                .addGroupBy(ForecastDimension.FORECAST_DIMENSION_CLOSE_MONTH).build());

        assertThat(forecast.getGroupsList()).extracting(g -> g.getPersona() + " " + g.getCloseMonth()).containsExactly(
                "PERSONA_GOLDEN_LEAD 2025-03", "PERSONA_SILENT_SUCCESS 2025-04", "PERSONA_CONTRARY_CONVERTER 2025-03",
                "PERSONA_POSITIVE_PROCRASTINATOR 2025-03", "PERSONA_FIZZLER unscheduled",
                "PERSONA_INCOMPATIBLE_IGNORAMUS 2025-03", "PERSONA_HEARTBREAKER 2025-03");
        ForecastGroup golden = forecast.getGroups(0);
        assertThat(golden.getExpectedRevenue().getAmountMicros()).isEqualTo(11_111_103_000L);
        assertThat(golden.getOwner()).isEmpty();
        assertThat(golden.getRange().getMethod()).isEqualTo("exact");
        assertThat(forecast.getGroupsList().stream().mapToLong(g -> g.getExpectedRevenue().getAmountMicros()).sum())
                .isEqualTo(forecast.getExpectedRevenue().getAmountMicros());
    }

    @Test
    void filtersApplyToEveryDimension() {
        Forecast forecast = forecasts.getForecast(GetForecastRequest.newBuilder()
                .setFilter(ForecastFilter.newBuilder().addOwners("bob").addCloseMonths("2025-03")).build());

        assertThat(forecast.getOpenTrials()).isEqualTo(2); // a4, a6
        assertThat(forecast.getExpectedRevenue().getAmountMicros()).isEqualTo(999_999_000L + 100_000_000L);

        Forecast euros = forecasts.getForecast(GetForecastRequest.newBuilder().setCurrency("EUR").build());
        assertThat(euros.getOpenTrials()).isEqualTo(1);
        assertThat(euros.getExpectedRevenue().getCurrency()).isEqualTo("EUR");
        assertThat(euros.getSkippedOtherCurrency()).isEqualTo(7);
    }

    @Test
    void laterScoresArriveIncrementallyBeforeTheNextForecast() {
        forecasts.getForecast(GetForecastRequest.getDefaultInstance());
        scoring.put(1, account("a7").persona(Persona.PERSONA_GOLDEN_LEAD).deal("25000.00").position(12).build(),
                account("n1").persona(Persona.PERSONA_SILENT_SUCCESS).deal("1000.00").position(13).build());

        Forecast forecast = forecasts.getForecast(GetForecastRequest.getDefaultInstance());

        assertThat(forecast.getOpenTrials()).isEqualTo(8);
        // a7 is a Golden Lead now (25000 x 0.9 instead of x 0.05) and n1 adds 750
        assertThat(forecast.getExpectedRevenue().getAmountMicros())
                .isEqualTo(25_961_107_000L - 1_250_000_000L + 22_500_000_000L + 750_000_000L);
        List<StreamAccountScoresRequest> requests = scoring.streamRequests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).getChangedAfterPosition()).isZero();
        assertThat(requests.get(1).getChangedAfterPosition()).isEqualTo(11);
        assertThat(requests).allSatisfy(request -> {
            assertThat(request.getView()).isEqualTo(ScoreView.SCORE_VIEW_BASIC);
            assertThat(request.getDefinitionVersion()).isEqualTo(1);
        });
    }

    @Test
    void onceScoringsClockMovedOnEveryAccountIsLoadedAgainAndTheForecastStatesTheNewInstant() {
        Forecast first = forecasts.getForecast(GetForecastRequest.getDefaultInstance());
        scoring.clockAt(Instant.parse("2025-03-01T00:00:07Z"));

        Forecast later = forecasts.getForecast(GetForecastRequest.getDefaultInstance());

        assertThat(first.getAsOf()).isEqualTo(timestamp("2025-03-01T00:00:00Z"));
        assertThat(later.getAsOf()).as("the instant scoring evaluated the accounts at, not the forecast's own clock")
                .isEqualTo(timestamp("2025-03-01T00:00:07Z"));
        List<StreamAccountScoresRequest> requests = scoring.streamRequests();
        assertThat(requests).hasSize(3);
        assertThat(requests.get(2).getChangedAfterPosition()).as("decay may have changed any account").isZero();
    }

    @Test
    void asOfAPastInstantReplaysInsteadOfUsingTheCache() {
        forecasts.getForecast(GetForecastRequest.getDefaultInstance());
        scoring.putAsOf(1, Instant.parse("2025-01-01T00:00:00Z").toEpochMilli(), List.of(
                account("a1").persona(Persona.PERSONA_CONTRARY_CONVERTER).deal("1000.00").build()));

        Forecast past = forecasts.getForecast(GetForecastRequest.newBuilder()
                .setAsOf(timestamp("2025-01-15T00:00:00Z")).build());

        assertThat(past.getAsOf()).isEqualTo(timestamp("2025-01-15T00:00:00Z"));
        assertThat(past.getOpenTrials()).isEqualTo(1);
        assertThat(past.getExpectedRevenue().getAmountMicros()).isEqualTo(600_000_000L);
        StreamAccountScoresRequest asOf = scoring.streamRequests().get(scoring.streamRequests().size() - 1);
        assertThat(asOf.getAsOf()).isEqualTo(timestamp("2025-01-15T00:00:00Z"));
        assertThat(asOf.getChangedAfterPosition()).isZero();
        // the cache still serves the present
        assertThat(forecasts.getForecast(GetForecastRequest.getDefaultInstance()).getOpenTrials()).isEqualTo(7);
    }

    @Test
    void aVersionsOwnOddsAreUsedAndExplained() {
        scoring.publish(2, Map.of(Persona.PERSONA_GOLDEN_LEAD, 0.5));
        scoring.put(2, portfolio());

        Forecast forecast = forecasts.getForecast(GetForecastRequest.newBuilder().setDefinitionVersion(2).build());
        PersonaClassification golden = forecasts.classifyAccount(ClassifyAccountRequest.newBuilder()
                .setAccountId("a1").setDefinitionVersion(2).build());

        assertThat(forecast.getDefinitionVersion()).isEqualTo(2);
        assertThat(forecast.getExpectedRevenue().getAmountMicros()).isEqualTo(25_961_107_000L - 11_111_103_000L + 6_172_835_000L);
        assertThat(golden.getOdds()).isEqualTo(0.5);
        assertThat(golden.getDefinitionVersion()).isEqualTo(2);
        assertThat(golden.getExplanation().getText()).contains("odds 50% (definition v2)");
    }

    // ------------------------------------------------------------------ StreamForecastLines

    @Test
    void everyOpenTrialIsALineAndTheLinesAddUpToTheForecast() {
        Forecast forecast = forecasts.getForecast(GetForecastRequest.getDefaultInstance());
        List<ForecastLine> lines = new ArrayList<>();
        forecasts.streamForecastLines(StreamForecastLinesRequest.getDefaultInstance()).forEachRemaining(lines::add);

        // x1 (EUR, no exchange rate) is listed unconverted, outside the totals
        assertThat(lines).extracting(ForecastLine::getAccountId).containsExactly("a1", "a2", "a3", "a4", "a5", "a6", "a7", "x1");
        assertThat(lines.get(7).getConversion()).isEqualTo(Conversion.CONVERSION_UNCONVERTED);
        assertThat(lines.stream().mapToLong(line -> line.getExpectedRevenue().getAmountMicros()).sum())
                .isEqualTo(forecast.getExpectedRevenue().getAmountMicros());
        ForecastLine first = lines.get(0);
        assertThat(first.getAccountName()).isEqualTo("Account a1");
        assertThat(first.getOwner()).isEqualTo("ann");
        assertThat(first.getOpportunitySize()).isEqualTo(OpportunitySize.OPPORTUNITY_SIZE_LARGE);
        assertThat(first.getCloseMonth()).isEqualTo("2025-03");
        assertThat(first.getDealSize().getAmountMicros()).isEqualTo(12_345_670_000L);
        assertThat(first.getClassification().getPersona()).isEqualTo(Persona.PERSONA_GOLDEN_LEAD);
        assertThat(first.getClassification().getOdds()).isEqualTo(0.9);
        assertThat(first.getClassification().getExplanation().getRule()).isEqualTo("persona.exact");
        assertThat(first.getClassification().getExplanation().getText()).contains("activation HIGH (83.3%)", "odds 90% (seed 004 default)");
        assertThat(lines.get(4).getCloseMonth()).isEqualTo("unscheduled");
    }

    @Test
    void aSlowReaderGetsEveryLineInOrder() throws Exception {
        List<AccountScore> many = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            many.add(account(String.format("m%05d", i)).persona(Persona.values()[1 + i % 7]).deal("100.00").position(100 + i).build());
        }
        scoring.put(1, many);
        List<String> received = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        Throwable[] failure = new Throwable[1];
        ForecastServiceGrpc.newStub(channel).streamForecastLines(StreamForecastLinesRequest.newBuilder()
                .setFilter(ForecastFilter.newBuilder().addOwners("ann")).build(), new ClientResponseObserver<StreamForecastLinesRequest, ForecastLine>() {
                    private ClientCallStreamObserver<StreamForecastLinesRequest> call;

                    @Override
                    public void beforeStart(ClientCallStreamObserver<StreamForecastLinesRequest> requestStream) {
                        call = requestStream;
                        requestStream.disableAutoRequestWithInitial(1);
                    }

                    @Override
                    public void onNext(ForecastLine line) {
                        received.add(line.getAccountId());
                        if (received.size() % 500 == 0) {
                            sleep(20);
                        }
                        call.request(1);
                    }

                    @Override
                    public void onError(Throwable t) {
                        failure[0] = t;
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(failure[0]).isNull();
        assertThat(received).hasSize(3000 + 5).isSorted(); // a1, a3, a5, a7 and x1 (unconverted)
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aReaderThatStopsEarlyCancelsTheExport() {
        Iterator<ForecastLine> lines;
        io.grpc.Context.CancellableContext context = io.grpc.Context.current().withCancellation();
        io.grpc.Context previous = context.attach();
        try {
            lines = forecasts.streamForecastLines(StreamForecastLinesRequest.getDefaultInstance());
        } finally {
            context.detach(previous);
        }
        assertThat(lines.next().getAccountId()).isEqualTo("a1");
        context.cancel(null);

        // the service keeps serving
        assertThat(forecasts.getForecast(GetForecastRequest.getDefaultInstance()).getOpenTrials()).isEqualTo(7);
    }

    // ------------------------------------------------------------------ ClassifyAccount

    @Test
    void anAccountsPersonaComesWithItsExplanation() {
        PersonaClassification classification = forecasts.classifyAccount(ClassifyAccountRequest.newBuilder().setAccountId("a6").build());

        assertThat(classification.getAccountId()).isEqualTo("a6");
        assertThat(classification.getPersona()).isEqualTo(Persona.PERSONA_INCOMPATIBLE_IGNORAMUS);
        assertThat(classification.getOdds()).isEqualTo(0.05);
        assertThat(classification.getApproximate()).isFalse();
        assertThat(classification.getActivationLevel()).isEqualTo(Level.LEVEL_LOW);
        assertThat(classification.getCommunicationLevel()).isEqualTo(CommunicationLevel.COMMUNICATION_LEVEL_ACTIVE);
        assertThat(classification.getFit()).isEqualTo(Fit.FIT_POOR);
        assertThat(classification.getDefinitionVersion()).isEqualTo(1);
        assertThat(classification.getExplanation().getRule()).isEqualTo("persona.exact_by_fit");
        assertThat(classification.getExplanation().getFactorsList()).extracting(ExplanationFactor::getName)
                .contains("activation_rate", "engagement_score", "inbound", "fit", "odds");
    }

    @Test
    void aClosedTrialIsClassifiedByItsLevelsBeforeClosing() {
        PersonaClassification converted = forecasts.classifyAccount(ClassifyAccountRequest.newBuilder().setAccountId("x3").build());

        assertThat(converted.getPersona()).isEqualTo(Persona.PERSONA_GOLDEN_LEAD);
        assertThat(converted.getExplanation().getText()).contains("just before the trial closed (CONVERTED 2025-02-01T00:00:00Z)");
    }

    @Test
    void anApproximateClassificationSaysWhy() {
        scoring.put(1, account("odd").levels(Level.LEVEL_HIGH, Level.LEVEL_MEDIUM, CommunicationLevel.COMMUNICATION_LEVEL_ACTIVE)
                .scoringSays(Persona.PERSONA_CONTRARY_CONVERTER, true, 1, Persona.PERSONA_GOLDEN_LEAD).position(50).build());

        PersonaClassification classification = forecasts.classifyAccount(ClassifyAccountRequest.newBuilder().setAccountId("odd").build());

        assertThat(classification.getPersona()).isEqualTo(Persona.PERSONA_CONTRARY_CONVERTER);
        assertThat(classification.getApproximate()).isTrue();
        assertThat(classification.getExplanation().getRule()).isEqualTo("persona.nearest");
        assertThat(classification.getExplanation().getText()).contains("tied with Golden Lead");
        assertThat(forecasts.getForecast(GetForecastRequest.getDefaultInstance()).getApproximateClassifications()).isEqualTo(1);
    }

    @Test
    void classifyingAsOfAnInstantAsksScoringForThatInstant() {
        scoring.putAsOf(1, Instant.parse("2025-01-01T00:00:00Z").toEpochMilli(), List.of(
                account("a1").persona(Persona.PERSONA_FIZZLER).build()));

        PersonaClassification then = forecasts.classifyAccount(ClassifyAccountRequest.newBuilder().setAccountId("a1")
                .setAsOf(timestamp("2025-02-01T00:00:00Z")).build());

        assertThat(then.getPersona()).isEqualTo(Persona.PERSONA_FIZZLER);
        assertThat(scoring.accountRequests().get(0).getAsOf()).isEqualTo(timestamp("2025-02-01T00:00:00Z"));
    }

    // ------------------------------------------------------------------ GetCalibration

    @Test
    void calibrationSetsEachPersonasOddsAgainstItsClosedTrials() {
        Calibration calibration = forecasts.getCalibration(GetCalibrationRequest.getDefaultInstance());

        assertThat(calibration.getConfidence()).isEqualTo(0.95);
        assertThat(calibration.getDefinitionVersion()).isEqualTo(1);
        assertThat(calibration.getClosedTrials()).isEqualTo(2);
        assertThat(calibration.getPersonasList()).hasSize(7);
        PersonaCalibration golden = calibration.getPersonas(0);
        assertThat(golden.getPersona()).isEqualTo(Persona.PERSONA_GOLDEN_LEAD);
        assertThat(golden.getClosedTrials()).isEqualTo(1);
        assertThat(golden.getConverted()).isEqualTo(1);
        assertThat(golden.getObservedRate()).isEqualTo(1.0);
        assertThat(golden.getBrierScore()).isCloseTo(0.01, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(golden.getIntervalLow()).isLessThan(golden.getIntervalHigh());
        assertThat(golden.getSuggestedOdds()).isCloseTo((1 + 20 * 0.9) / 21, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(calibration.getMethod()).contains("Wilson");

        Calibration february = forecasts.getCalibration(GetCalibrationRequest.newBuilder()
                .setFrom(timestamp("2025-02-02T00:00:00Z")).setTo(timestamp("2025-03-01T00:00:00Z")).setConfidence(0.9).build());
        assertThat(february.getClosedTrials()).isEqualTo(1);
        assertThat(february.getPersonas(6).getClosedTrials()).isEqualTo(1);
        assertThat(february.getConfidence()).isEqualTo(0.9);
    }

    // ------------------------------------------------------------------ CompareForecast

    @Test
    void comparingTwoVersionsPagesThroughTheTrialsThatChanged() {
        scoring.publish(2, Map.of(Persona.PERSONA_HEARTBREAKER, 0.01));
        List<AccountScore> candidate = new ArrayList<>(portfolio());
        candidate.set(4, account("a5").persona(Persona.PERSONA_SILENT_SUCCESS).deal("4999.99").trialEnd(null).position(5).build());
        scoring.put(2, candidate);

        CompareForecastRequest request = CompareForecastRequest.newBuilder().setBaselineVersion(0).setCandidateVersion(2)
                .setPageSize(1).build();
        CompareForecastResponse first = forecasts.compareForecast(request);

        assertThat(first.getBaseline().getDefinitionVersion()).isEqualTo(1);
        assertThat(first.getCandidate().getDefinitionVersion()).isEqualTo(2);
        assertThat(first.getAccountsChanged()).isEqualTo(2); // a5 persona, a7 odds
        // a5: 499.999 -> 3749.9925 (half-even: 3749.992500 exactly); a7: 1250 -> 250
        assertThat(first.getExpectedRevenueDelta().getAmountMicros()).isEqualTo((3_749_992_500L - 499_999_000L) + (250_000_000L - 1_250_000_000L));
        assertThat(first.getChangesList()).extracting(AccountForecastChange::getAccountId).containsExactly("a5");
        assertThat(first.getChanges(0).getPersonaBefore()).isEqualTo(Persona.PERSONA_FIZZLER);
        assertThat(first.getChanges(0).getPersonaAfter()).isEqualTo(Persona.PERSONA_SILENT_SUCCESS);
        assertThat(first.getNextPageToken()).isNotEmpty();

        CompareForecastResponse second = forecasts.compareForecast(request.toBuilder().setPageToken(first.getNextPageToken()).build());
        assertThat(second.getChangesList()).extracting(AccountForecastChange::getAccountId).containsExactly("a7");
        assertThat(second.getChanges(0).getExpectedAfter().getAmountMicros()).isEqualTo(250_000_000L);
        assertThat(second.getNextPageToken()).isEmpty();

        // a token is bound to its request
        assertThatThrownBy(() -> forecasts.compareForecast(request.toBuilder().setCandidateVersion(1)
                .setPageToken(first.getNextPageToken()).build()))
                .satisfies(e -> assertInvalid(e, "page_token"));
    }

    // ------------------------------------------------------------------ errors

    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad("GetForecast currency", s -> s.getForecast(GetForecastRequest.newBuilder().setCurrency("usd").build()), "currency"),
                bad("GetForecast group_by unspecified", s -> s.getForecast(GetForecastRequest.newBuilder()
                        .addGroupBy(ForecastDimension.FORECAST_DIMENSION_UNSPECIFIED).build()), "group_by[0]"),
                bad("GetForecast group_by unknown number", s -> s.getForecast(GetForecastRequest.newBuilder()
                        .addGroupBy(ForecastDimension.FORECAST_DIMENSION_PERSONA).addGroupByValue(42).build()), "group_by[1]"),
                bad("GetForecast group_by repeated", s -> s.getForecast(GetForecastRequest.newBuilder()
                        .addGroupBy(ForecastDimension.FORECAST_DIMENSION_OWNER).addGroupBy(ForecastDimension.FORECAST_DIMENSION_OWNER).build()),
                        "group_by[1]"),
                bad("GetForecast close month", s -> s.getForecast(GetForecastRequest.newBuilder()
                        .setFilter(ForecastFilter.newBuilder().addCloseMonths("2025-3")).build()), "filter.close_months[0]"),
                bad("GetForecast month 13", s -> s.getForecast(GetForecastRequest.newBuilder()
                        .setFilter(ForecastFilter.newBuilder().addCloseMonths("2025-01").addCloseMonths("2025-13")).build()),
                        "filter.close_months[1]"),
                bad("GetForecast persona filter", s -> s.getForecast(GetForecastRequest.newBuilder()
                        .setFilter(ForecastFilter.newBuilder().addPersonas(Persona.PERSONA_UNSPECIFIED)).build()), "filter.personas[0]"),
                bad("GetForecast size filter", s -> s.getForecast(GetForecastRequest.newBuilder()
                        .setFilter(ForecastFilter.newBuilder().addOpportunitySizesValue(9)).build()), "filter.opportunity_sizes[0]"),
                bad("GetForecast negative version", s -> s.getForecast(GetForecastRequest.newBuilder().setDefinitionVersion(-1).build()),
                        "definition_version"),
                bad("GetForecast as_of", s -> s.getForecast(GetForecastRequest.newBuilder()
                        .setAsOf(com.google.protobuf.Timestamp.newBuilder().setNanos(-1)).build()), "as_of"),
                bad("StreamForecastLines currency", s -> s.streamForecastLines(StreamForecastLinesRequest.newBuilder()
                        .setCurrency("EURO").build()).hasNext(), "currency"),
                bad("StreamForecastLines close month", s -> s.streamForecastLines(StreamForecastLinesRequest.newBuilder()
                        .setFilter(ForecastFilter.newBuilder().addCloseMonths("March")).build()).hasNext(), "filter.close_months[0]"),
                bad("ClassifyAccount no id", s -> s.classifyAccount(ClassifyAccountRequest.getDefaultInstance()), "account_id"),
                bad("ClassifyAccount bad id", s -> s.classifyAccount(ClassifyAccountRequest.newBuilder().setAccountId("a b").build()),
                        "account_id"),
                bad("GetCalibration confidence 1", s -> s.getCalibration(GetCalibrationRequest.newBuilder().setConfidence(1).build()),
                        "confidence"),
                bad("GetCalibration confidence negative", s -> s.getCalibration(GetCalibrationRequest.newBuilder().setConfidence(-0.5).build()),
                        "confidence"),
                bad("GetCalibration confidence NaN", s -> s.getCalibration(GetCalibrationRequest.newBuilder().setConfidence(Double.NaN).build()),
                        "confidence"),
                bad("GetCalibration empty period", s -> s.getCalibration(GetCalibrationRequest.newBuilder()
                        .setFrom(timestamp("2025-02-01T00:00:00Z")).setTo(timestamp("2025-02-01T00:00:00Z")).build()), "to"),
                bad("CompareForecast page_size big", s -> s.compareForecast(CompareForecastRequest.newBuilder().setPageSize(1001).build()),
                        "page_size"),
                bad("CompareForecast page_size negative", s -> s.compareForecast(CompareForecastRequest.newBuilder().setPageSize(-1).build()),
                        "page_size"),
                bad("CompareForecast page_token", s -> s.compareForecast(CompareForecastRequest.newBuilder().setPageToken("not-a-token").build()),
                        "page_token"),
                bad("CompareForecast candidate version", s -> s.compareForecast(CompareForecastRequest.newBuilder().setCandidateVersion(-2).build()),
                        "candidate_version"),
                bad("CompareForecast currency", s -> s.compareForecast(CompareForecastRequest.newBuilder().setCurrency("$").build()),
                        "currency"));
    }

    private static Arguments bad(String name, Consumer<ForecastServiceGrpc.ForecastServiceBlockingStub> call, String field) {
        return Arguments.of(name, call, field);
    }

    @ParameterizedTest(name = "{0} -> INVALID_ARGUMENT {2}")
    @MethodSource("badRequests")
    void badInputIsRefusedWithTheField(String name, Consumer<ForecastServiceGrpc.ForecastServiceBlockingStub> call, String field) {
        assertThatThrownBy(() -> call.accept(forecasts)).satisfies(e -> assertInvalid(e, field));
        assertThat(scoring.streamRequests()).as("nothing reached scoring").isEmpty();
    }

    private static void assertInvalid(Throwable e, String field) {
        assertThat(e).isInstanceOf(StatusRuntimeException.class);
        assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(GrpcErrors.fieldViolations(e)).extracting(com.google.rpc.BadRequest.FieldViolation::getField).containsExactly(field);
    }

    @Test
    void everyProblemOfARequestIsReportedAtOnce() {
        assertThatThrownBy(() -> forecasts.getForecast(GetForecastRequest.newBuilder().setCurrency("x").setDefinitionVersion(-1)
                .setFilter(ForecastFilter.newBuilder().addCloseMonths("soon")).build()))
                .satisfies(e -> assertThat(GrpcErrors.fieldViolations(e)).extracting(com.google.rpc.BadRequest.FieldViolation::getField)
                        .containsExactlyInAnyOrder("currency", "definition_version", "filter.close_months[0]"));
    }

    @Test
    void anUnknownAccountIsNotFound() {
        assertThatThrownBy(() -> forecasts.classifyAccount(ClassifyAccountRequest.newBuilder().setAccountId("nobody").build()))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void anUnknownDefinitionVersionIsNotFoundEverywhere() {
        List<Runnable> calls = List.of(
                () -> forecasts.getForecast(GetForecastRequest.newBuilder().setDefinitionVersion(9).build()),
                () -> forecasts.streamForecastLines(StreamForecastLinesRequest.newBuilder().setDefinitionVersion(9).build()).hasNext(),
                () -> forecasts.classifyAccount(ClassifyAccountRequest.newBuilder().setAccountId("a1").setDefinitionVersion(9).build()),
                () -> forecasts.getCalibration(GetCalibrationRequest.newBuilder().setDefinitionVersion(9).build()),
                () -> forecasts.compareForecast(CompareForecastRequest.newBuilder().setCandidateVersion(9).build()));
        for (Runnable call : calls) {
            assertThatThrownBy(call::run).satisfies(e -> {
                assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.NOT_FOUND);
                assertThat(Status.fromThrowable(e).getDescription()).contains("version 9");
            });
        }
    }

    @Test
    void aVersionScoringDoesNotServeIsAFailedPrecondition() {
        scoring.publish(3, Map.of());

        assertThatThrownBy(() -> forecasts.getForecast(GetForecastRequest.newBuilder().setDefinitionVersion(3).build()))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
    }

    @Test
    void whenScoringIsDownEveryCallIsUnavailable() throws Exception {
        stop();
        scoring = ScoringServiceFixture.inProcess();
        scoringChannel = InProcessChannelBuilder.forName("nobody-listens-" + UUID.randomUUID()).build();
        startForecast(scoringChannel);

        List<Runnable> calls = List.of(
                () -> forecasts.getForecast(GetForecastRequest.getDefaultInstance()),
                () -> forecasts.streamForecastLines(StreamForecastLinesRequest.getDefaultInstance()).hasNext(),
                () -> forecasts.classifyAccount(ClassifyAccountRequest.newBuilder().setAccountId("a1").build()),
                () -> forecasts.getCalibration(GetCalibrationRequest.getDefaultInstance()),
                () -> forecasts.compareForecast(CompareForecastRequest.getDefaultInstance()));
        for (Runnable call : calls) {
            assertThatThrownBy(call::run).satisfies(e -> {
                assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(Status.fromThrowable(e).getDescription()).contains("scoring-service unavailable");
            });
        }
        assertThat(module.healthChecks().get("scoring").execute().isHealthy()).isFalse();
    }

    @Test
    void theHealthCheckFollowsScoring() {
        assertThat(module.healthChecks().get("scoring").execute().isHealthy()).isTrue();
        scoring.setServing(false);
        assertThat(module.healthChecks().get("scoring").execute().isHealthy()).isFalse();
    }
}
