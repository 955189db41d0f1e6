package pql.cli;

import com.google.protobuf.Message;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import pql.v1.*;

/**
 * The gateway's API on a real port with canned answers, remembering every request per method: the
 * commands' tests check what the options turned into (the request) and what was printed. Account
 * "nobody", definition version 404 and preset "unspecified" are answered NOT_FOUND / INVALID_ARGUMENT.
 * Until rescored here, definition version 5 is published, 8 retired and no longer kept (promote refuses
 * it), 9 retired and kept (promotable). Version 2 lowers pql.mid_threshold from v1's 0.5 to 0.3.
 * A JUnit extension ({@code @RegisterExtension}): a fresh server for every test.
 */
final class FakeGateway implements BeforeEachCallback, AfterEachCallback {

    /** What a run of {@code pql} printed and returned. */
    record Run(int exitCode, String out, String err) {
    }

    private Server server;
    private final Map<String, List<Message>> requests = new ConcurrentHashMap<>();
    /** Accounts ListAccountScores answers; tests may empty it. */
    final List<AccountScore> accounts = new CopyOnWriteArrayList<>(List.of(
            score("acme", "Acme Corp", 0.83, 120.5, true, PqlKind.PQL_KIND_CRITERIA_MET, PqlKind.PQL_KIND_HAND_RAISER),
            score("globex", "Globex", 0.17, 3.0, false)));
    /** IngestBatch stores a validate_only batch as a server older than the flag would. */
    final java.util.concurrent.atomic.AtomicBoolean ignoresValidateOnly = new java.util.concurrent.atomic.AtomicBoolean();
    /** GetRescore answers REPLAYING this many times, then READY. */
    final AtomicInteger replayingPolls = new AtomicInteger();
    /** Versions StartRescore was called for. */
    private final java.util.Set<Integer> rescored = ConcurrentHashMap.newKeySet();

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        requests.clear();
        replayingPolls.set(0);
        rescored.clear();
        ignoresValidateOnly.set(false);
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new Scoring()).addService(new Definitions()).addService(new Forecasts())
                .addService(new Ingest()).addService(new Alerts()).addService(new Keys())
                .build().start();
    }

    String target() {
        return "127.0.0.1:" + server.getPort();
    }

    /** Runs {@code pql --target <this> --key pql_test-key ARGS}. */
    Run pql(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--target";
        all[1] = target();
        all[2] = "--key";
        all[3] = "pql_test-key";
        System.arraycopy(args, 0, all, 4, args.length);
        return run(all);
    }

    /** Runs {@code pql ARGS} exactly as given (no target, no key). */
    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Pql.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Every request of {@code method} (e.g. "ListAccountScores") so far, in order. */
    @SuppressWarnings("unchecked")
    <T extends Message> List<T> requests(String method, Class<T> type) {
        return (List<T>) List.copyOf(requests.getOrDefault(method, List.of()));
    }

    <T extends Message> T last(String method, Class<T> type) {
        List<T> all = requests(method, type);
        if (all.isEmpty()) {
            throw new AssertionError("no " + method + " call reached the gateway");
        }
        return all.get(all.size() - 1);
    }

    int calls(String method) {
        return requests.getOrDefault(method, List.of()).size();
    }

    private void record(String method, Message request) {
        requests.computeIfAbsent(method, m -> new CopyOnWriteArrayList<>()).add(request);
    }

    private static <T> void answer(StreamObserver<T> observer, T response) {
        observer.onNext(response);
        observer.onCompleted();
    }

    static AccountScore score(String id, String name, double activation, double engagement, boolean pql, PqlKind... kinds) {
        return AccountScore.newBuilder().setAccountId(id).setDefinitionVersion(1)
                .setProfile(AccountProfile.newBuilder().setName(name).setOwner("dana")
                        .setOpportunitySize(OpportunitySize.OPPORTUNITY_SIZE_MID).setPlan(Plan.PLAN_TRIAL))
                .setActivation(Activation.newBuilder().setRate(activation).setLevel(Level.LEVEL_HIGH))
                .setEngagement(Engagement.newBuilder().setScore(engagement).setPercentile(90).setLevel(Level.LEVEL_HIGH))
                .setPql(PqlState.newBuilder().setIsPql(pql).addAllKinds(List.of(kinds)))
                .build();
    }

    private final class Scoring extends ScoringServiceGrpc.ScoringServiceImplBase {
        @Override
        public void getAccountScore(GetAccountScoreRequest request, StreamObserver<AccountScore> observer) {
            record("GetAccountScore", request);
            if (request.getAccountId().equals("nobody")) {
                observer.onError(Status.NOT_FOUND.withDescription("account nobody has no events").asRuntimeException());
                return;
            }
            answer(observer, score(request.getAccountId(), "Account " + request.getAccountId(), 0.5, 42, true,
                    PqlKind.PQL_KIND_CRITERIA_MET).toBuilder()
                    .setLead(pql.v1.Lead.newBuilder().setStatus(pql.v1.LeadStatus.LEAD_STATUS_OPEN)
                            .setPersona(pql.v1.Persona.PERSONA_CONTRARY_CONVERTER).setPersonaApproximate(true).setOdds(0.6)
                            .setExpectedValue(pql.v1.Money.newBuilder().setAmountMicros(12_000_000_000L).setCurrency("USD")))
                    .build());
        }

        @Override
        public void listAccountScores(ListAccountScoresRequest request, StreamObserver<ListAccountScoresResponse> observer) {
            record("ListAccountScores", request);
            // pages of page_size (default 50) from the offset in the token
            int from = request.getPageToken().isEmpty() ? 0 : Integer.parseInt(request.getPageToken());
            int to = Math.min(accounts.size(), from + (request.getPageSize() == 0 ? 50 : request.getPageSize()));
            // the instant asked for, or the "server's clock": 2026-12-02T10:00:00Z
            answer(observer, ListAccountScoresResponse.newBuilder().addAllScores(accounts.subList(from, to))
                    .setNextPageToken(to < accounts.size() ? Integer.toString(to) : "").setTotalSize(accounts.size() * 10L)
                    .setAsOf(request.hasAsOf() ? request.getAsOf()
                            : com.google.protobuf.Timestamp.newBuilder().setSeconds(1_796_205_600L).build())
                    .build());
        }
    }

    private final class Definitions extends DefinitionServiceGrpc.DefinitionServiceImplBase {
        @Override
        public void publishDefinition(PublishDefinitionRequest request, StreamObserver<PublishDefinitionResponse> observer) {
            record("PublishDefinition", request);
            answer(observer, PublishDefinitionResponse.newBuilder().setVersion(request.getValidateOnly() ? 0 : 2)
                    .setDefinition(request.getDefinition()).build());
        }

        @Override
        public void listDefinitions(ListDefinitionsRequest request, StreamObserver<ListDefinitionsResponse> observer) {
            record("ListDefinitions", request);
            ListDefinitionsResponse.Builder page = ListDefinitionsResponse.newBuilder();
            if (request.getPageToken().isEmpty()) {
                page.addDefinitions(version(3, DefinitionStatus.DEFINITION_STATUS_PUBLISHED))
                        .addDefinitions(version(2, DefinitionStatus.DEFINITION_STATUS_READY)).setNextPageToken("after-2");
            } else {
                page.addDefinitions(version(1, DefinitionStatus.DEFINITION_STATUS_ACTIVE));
            }
            answer(observer, page.build());
        }

        @Override
        public void getDefinition(GetDefinitionRequest request, StreamObserver<DefinitionVersion> observer) {
            record("GetDefinition", request);
            if (request.getVersion() == 404) {
                observer.onError(Status.NOT_FOUND.withDescription("definition version 404 does not exist").asRuntimeException());
                return;
            }
            answer(observer, version(request.getVersion() == 0 ? 1 : request.getVersion(), DefinitionStatus.DEFINITION_STATUS_ACTIVE));
        }

        @Override
        public void suggestDefinition(pql.v1.SuggestDefinitionRequest request, StreamObserver<pql.v1.SuggestDefinitionResponse> observer) {
            record("SuggestDefinition", request);
            answer(observer, pql.v1.SuggestDefinitionResponse.newBuilder().setFrom(request.getFrom()).setTo(request.getTo())
                    .setFalseDiscoveryRate(request.getFalseDiscoveryRate()).setTrialsClosed(400).setTrialsConverted(130)
                    .setBasedOnVersion(1)
                    .addPredictors(pql.v1.RuleFinding.newBuilder().setAction("api_key_created").setMinCount(1).setTrialsMet(90)
                            .setRateMet(0.62).setRateMetLow(0.52).setRateMetHigh(0.71).setLift(2.9).setQValue(1e-9))
                    .addWeightZeroActions("help_article_viewed")
                    .setDraft(ScoringDefinition.newBuilder().setName("suggested")
                            .setActivation(pql.v1.ActivationChecklist.newBuilder()
                                    .addSteps(pql.v1.ActivationStep.newBuilder().setKey("api_key_created").setAction("api_key_created").setMinCount(1))
                                    .addSteps(pql.v1.ActivationStep.newBuilder().setKey("sso_configured").setAction("sso_configured").setMinCount(1)))
                            .setEngagement(pql.v1.EngagementRule.newBuilder()
                                    .addWeights(pql.v1.ActionWeight.newBuilder().setAction("api_key_created").setWeight(2.9))
                                    .addWeights(pql.v1.ActionWeight.newBuilder().setAction("help_article_viewed").setWeight(0))
                                    .addExcludedActions("login"))
                            .setPql(pql.v1.PqlRule.newBuilder().setSmallThreshold(0.75)
                                    .addTriggers(pql.v1.BehaviouralTrigger.newBuilder().setAction("workflow_automated").setCount(3).setWithinDays(7))))
                    .addNotes(note("activation.steps", 0, "lift 2.90"))
                    .addNotes(note("activation.steps", 1, "lift 2.10"))
                    .addNotes(note("engagement.weights", 1, "predicts nothing"))
                    .addNotes(note("pql.triggers", 0, "lift 4.00"))
                    .build());
        }

        private static pql.v1.DraftNote note(String list, int index, String text) {
            return pql.v1.DraftNote.newBuilder().setList(list).setIndex(index).setNote(text).build();
        }

        @Override
        public void getDefinitionPreset(GetDefinitionPresetRequest request, StreamObserver<ScoringDefinition> observer) {
            record("GetDefinitionPreset", request);
            if (request.getProductComplexity() == ProductComplexity.PRODUCT_COMPLEXITY_UNSPECIFIED) {
                observer.onError(Status.INVALID_ARGUMENT.withDescription("product_complexity: required").asRuntimeException());
                return;
            }
            answer(observer, ScoringDefinition.newBuilder().setName("preset: " + request.getProductComplexity())
                    .setProductComplexity(request.getProductComplexity()).build());
        }

        @Override
        public void startRescore(StartRescoreRequest request, StreamObserver<RescoreStatus> observer) {
            record("StartRescore", request);
            if (request.getVersion() == 404) {
                observer.onError(Status.NOT_FOUND.withDescription("definition version 404 does not exist").asRuntimeException());
                return;
            }
            rescored.add(request.getVersion());
            answer(observer, rescore(request.getVersion(), DefinitionStatus.DEFINITION_STATUS_REPLAYING, 0));
        }

        @Override
        public void getRescore(GetRescoreRequest request, StreamObserver<RescoreStatus> observer) {
            record("GetRescore", request);
            if (!rescored.contains(request.getVersion()) && List.of(5, 8, 9).contains(request.getVersion())) {
                DefinitionStatus status = request.getVersion() == 5 ? DefinitionStatus.DEFINITION_STATUS_PUBLISHED
                        : DefinitionStatus.DEFINITION_STATUS_RETIRED;
                answer(observer, RescoreStatus.newBuilder().setVersion(request.getVersion()).setStatus(status)
                        .setEventsDone(request.getVersion() == 9 ? 1000 : 0).setEventsTotal(request.getVersion() == 9 ? 1000 : 0).build());
                return;
            }
            boolean replaying = replayingPolls.getAndDecrement() > 0;
            answer(observer, replaying ? rescore(request.getVersion(), DefinitionStatus.DEFINITION_STATUS_REPLAYING, 400)
                    : rescore(request.getVersion(), DefinitionStatus.DEFINITION_STATUS_READY, 1000));
        }

        @Override
        public void diffRescore(DiffRescoreRequest request, StreamObserver<DiffRescoreResponse> observer) {
            record("DiffRescore", request);
            answer(observer, DiffRescoreResponse.newBuilder().setBaselineVersion(1).setCandidateVersion(request.getVersion())
                    .setAccountsCompared(1200).setAccountsChanged(1).setPqlGained(1)
                    .addChanges(AccountScoreChange.newBuilder().setAccountId("quiet-mid").setPqlBefore(false).setPqlAfter(true)
                            .addKindsAfter(PqlKind.PQL_KIND_CRITERIA_MET).setActivationRateBefore(0.33)
                            .setActivationRateAfter(0.33))
                    .build());
        }

        /** v1: every figure measured; any other version: too few converted PQLs for a lead time, and v404 unknown. */
        @Override
        public void backtestDefinition(BacktestDefinitionRequest request, StreamObserver<BacktestDefinitionResponse> observer) {
            record("BacktestDefinition", request);
            if (request.getVersion() == 404) {
                observer.onError(Status.NOT_FOUND.withDescription("definition version 404 does not exist").asRuntimeException());
                return;
            }
            boolean first = request.getVersion() <= 1;
            BacktestFigure thin = BacktestFigure.newBuilder()
                    .setState(BacktestFigureState.BACKTEST_FIGURE_STATE_NOT_ENOUGH_DATA).setSampleSize(12).build();
            answer(observer, BacktestDefinitionResponse.newBuilder().setVersion(first ? 1 : request.getVersion())
                    .setFrom(request.getFrom()).setTo(request.getTo()).setTrialsClosed(120).setTrialsConverted(48)
                    .setPqls(first ? 60 : 80).setHeadPosition(180_357)
                    .setBaseConversionRate(measured(0.4, 120))
                    .setPrecision(first ? measured(0.6, 60) : measured(0.55, 80))
                    .setRecall(first ? measured(0.75, 48) : measured(0.9166, 48))
                    .setF1(first ? measured(2 * 0.6 * 0.75 / 1.35, 60) : measured(0.6875, 80))
                    .setLift(first ? measured(1.5, 60) : measured(1.375, 80))
                    .setMedianLeadTimeSeconds(first ? measured(9 * 86_400, 36) : thin)
                    .setBrierScore(measured(0.18, 120))
                    .addPersonas(PersonaBacktest.newBuilder().setPersona(Persona.PERSONA_GOLDEN_LEAD).setOdds(0.9)
                            .setTrialsClosed(30).setTrialsConverted(24).setObservedRate(measured(0.8, 30))
                            .setIntervalLow(0.627).setIntervalHigh(0.905).setBrierScore(measured(0.17, 30)))
                    .addPersonas(PersonaBacktest.newBuilder().setPersona(Persona.PERSONA_HEARTBREAKER).setOdds(0.05)
                            .setTrialsClosed(25).setTrialsConverted(10).setObservedRate(measured(0.4, 25))
                            .setIntervalLow(0.234).setIntervalHigh(0.592).setBrierScore(measured(0.364, 25))
                            .setOddsOutsideInterval(true))
                    .addPersonas(PersonaBacktest.newBuilder().setPersona(Persona.PERSONA_FIZZLER).setOdds(0.1)
                            .setTrialsClosed(5).setObservedRate(BacktestFigure.newBuilder().setSampleSize(5)
                                    .setState(BacktestFigureState.BACKTEST_FIGURE_STATE_NOT_ENOUGH_DATA))
                            .setBrierScore(BacktestFigure.newBuilder().setSampleSize(5)
                                    .setState(BacktestFigureState.BACKTEST_FIGURE_STATE_NOT_ENOUGH_DATA)))
                    .setMinimumSample(20).setConfidence(0.95).setMethod("method").build());
        }

        private BacktestFigure measured(double value, long sampleSize) {
            return BacktestFigure.newBuilder().setState(BacktestFigureState.BACKTEST_FIGURE_STATE_MEASURED).setValue(value)
                    .setSampleSize(sampleSize).build();
        }

        @Override
        public void promoteDefinition(PromoteDefinitionRequest request, StreamObserver<DefinitionVersion> observer) {
            record("PromoteDefinition", request);
            if (request.getVersion() == 8 && !rescored.contains(8)) {
                observer.onError(Status.FAILED_PRECONDITION.withDescription(
                        "version 8 has no rescore; start one first (its projection was not kept since its retirement)").asRuntimeException());
                return;
            }
            answer(observer, version(request.getVersion(), DefinitionStatus.DEFINITION_STATUS_ACTIVE));
        }

        @Override
        public void discardRescore(DiscardRescoreRequest request, StreamObserver<RescoreStatus> observer) {
            record("DiscardRescore", request);
            answer(observer, rescore(request.getVersion(), DefinitionStatus.DEFINITION_STATUS_PUBLISHED, 0));
        }

        private DefinitionVersion version(int version, DefinitionStatus status) {
            return DefinitionVersion.newBuilder().setVersion(version).setStatus(status).setPublishedBy("platform-team")
                    .setDefinition(ScoringDefinition.newBuilder().setName("v" + version)
                            .setProductComplexity(ProductComplexity.PRODUCT_COMPLEXITY_INTERMEDIATE)
                            .setPql(PqlRule.newBuilder().setSmallThreshold(0.75).setMidThreshold(version == 2 ? 0.3 : 0.5)))
                    .build();
        }

        private RescoreStatus rescore(int version, DefinitionStatus status, long done) {
            return RescoreStatus.newBuilder().setVersion(version).setStatus(status).setEventsDone(done).setEventsTotal(1000)
                    .setEventsPerSecond(done * 2.0).build();
        }
    }

    /** AlertService: remembers requests; "sub-missing" is unknown, "sub-down" answers HTTP 503. */
    private final class Alerts extends pql.v1.AlertServiceGrpc.AlertServiceImplBase {
        @Override
        public void addAlertSubscription(pql.v1.AddAlertSubscriptionRequest request,
                StreamObserver<pql.v1.AlertSubscription> observer) {
            record("AddAlertSubscription", request);
            answer(observer, pql.v1.AlertSubscription.newBuilder().setId("sub-0123456789abcdef").setUrl(request.getUrl())
                    .setSecret("s3cr3t").build());
        }

        @Override
        public void listAlertSubscriptions(pql.v1.ListAlertSubscriptionsRequest request,
                StreamObserver<pql.v1.ListAlertSubscriptionsResponse> observer) {
            record("ListAlertSubscriptions", request);
            answer(observer, pql.v1.ListAlertSubscriptionsResponse.newBuilder()
                    .addSubscriptions(pql.v1.AlertSubscription.newBuilder().setId("default")
                            .setUrl("https://hooks.slack.com/services/T000/B000/XXXXXXXX")
                            .setFormat(pql.v1.AlertFormat.ALERT_FORMAT_SLACK)
                            .setDelivery(pql.v1.AlertDeliveryStats.newBuilder().setDelivered(12).setPending(3).setParked(1)
                                    .setSummaries(1).setLastError("HTTP 503")
                                    .setFailingSince(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_764_000_000))))
                    .addSubscriptions(pql.v1.AlertSubscription.newBuilder().setId("sub-0123456789abcdef")
                            .setUrl("http://receiver.internal:8080/pql").setFormat(pql.v1.AlertFormat.ALERT_FORMAT_JSON)
                            .setFilter(pql.v1.AlertFilter.newBuilder().setOwner("rep@example.com")
                                    .addKinds(PqlKind.PQL_KIND_HAND_RAISER)))
                    .build());
        }

        @Override
        public void removeAlertSubscription(pql.v1.RemoveAlertSubscriptionRequest request,
                StreamObserver<pql.v1.RemoveAlertSubscriptionResponse> observer) {
            record("RemoveAlertSubscription", request);
            if (request.getId().equals("sub-missing")) {
                observer.onError(pql.common.grpc.GrpcErrors.notFound("alert subscription sub-missing does not exist"));
                return;
            }
            answer(observer, pql.v1.RemoveAlertSubscriptionResponse.getDefaultInstance());
        }

        @Override
        public void testAlertSubscription(pql.v1.TestAlertSubscriptionRequest request,
                StreamObserver<pql.v1.TestAlertSubscriptionResponse> observer) {
            record("TestAlertSubscription", request);
            answer(observer, pql.v1.TestAlertSubscriptionResponse.newBuilder().setAlertId("test-1")
                    .setHttpStatus(request.getId().equals("sub-down") ? 503 : 200).build());
        }
    }

    private final class Keys extends pql.v1.KeyServiceGrpc.KeyServiceImplBase {
        private final pql.v1.ApiKeyInfo finance = pql.v1.ApiKeyInfo.newBuilder().setName("finance-exports")
                .addScopes("forecast:read").setCreatedAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_764_000_000))
                .setCreatedBy("local").setLastFour("Xy9Z").build();

        @Override
        public void createApiKey(pql.v1.CreateApiKeyRequest request, StreamObserver<pql.v1.CreateApiKeyResponse> observer) {
            record("CreateApiKey", request);
            answer(observer, pql.v1.CreateApiKeyResponse.newBuilder().setSecret("pql_new-secret-Xy9Z")
                    .setKey(pql.v1.ApiKeyInfo.newBuilder().setName(request.getName()).addAllScopes(request.getScopesList())
                            .setExpiresAt(request.getExpiresAt()).setLastFour("Xy9Z"))
                    .build());
        }

        @Override
        public void listApiKeys(pql.v1.ListApiKeysRequest request, StreamObserver<pql.v1.ListApiKeysResponse> observer) {
            record("ListApiKeys", request);
            answer(observer, pql.v1.ListApiKeysResponse.newBuilder().addKeys(finance).build());
        }

        @Override
        public void revokeApiKey(pql.v1.RevokeApiKeyRequest request, StreamObserver<pql.v1.RevokeApiKeyResponse> observer) {
            record("RevokeApiKey", request);
            if (!request.getName().equals(finance.getName())) {
                observer.onError(pql.common.grpc.GrpcErrors.notFound("no runtime API key is named '" + request.getName() + "'"));
                return;
            }
            answer(observer, pql.v1.RevokeApiKeyResponse.newBuilder().setKey(finance).build());
        }
    }

    private final class Forecasts extends ForecastServiceGrpc.ForecastServiceImplBase {
        @Override
        public void getForecast(GetForecastRequest request, StreamObserver<Forecast> observer) {
            record("GetForecast", request);
            Forecast.Builder forecast = Forecast.newBuilder().setDefinitionVersion(1).setOpenTrials(3)
                    .setExpectedRevenue(usd(15_000)).setPipeline(usd(60_000))
                    .setRange(RevenueRange.newBuilder().setP10(usd(9_000)).setP50(usd(15_000)).setP90(usd(21_000))
                            .setMethod("monte carlo"));
            if (request.hasKnownAt()) {
                forecast.setAsOf(request.getAsOf()).setKnownAt(request.getKnownAt()).setHeadPosition(7);
            }
            if (!request.getGroupByList().isEmpty()) {
                // version 2 expects 3,000 more from the golden leads / MID trials
                forecast.addGroups(ForecastGroup.newBuilder().setPersona(Persona.PERSONA_GOLDEN_LEAD).setOwner("dana")
                        .setOpportunitySize(OpportunitySize.OPPORTUNITY_SIZE_MID).setCloseMonth("2025-07")
                        .setOpenTrials(3).setExpectedRevenue(usd(request.getDefinitionVersion() == 2 ? 18_000 : 15_000))
                        .setPipeline(usd(60_000)));
            }
            answer(observer, forecast.build());
        }

        @Override
        public void streamForecastLines(StreamForecastLinesRequest request, StreamObserver<ForecastLine> observer) {
            record("StreamForecastLines", request);
            for (String id : List.of("acme", "globex")) {
                ForecastLine.Builder line = ForecastLine.newBuilder().setAccountId(id).setAccountName(id.toUpperCase()).setOwner("dana")
                        .setDealSize(usd(20_000)).setExpectedRevenue(usd(5_000));
                if (request.hasKnownAt()) {
                    line.setAsOf(request.getAsOf()).setKnownAt(request.getKnownAt()).setHeadPosition(7);
                }
                observer.onNext(line.build());
            }
            observer.onCompleted();
        }

        @Override
        public void compareForecast(CompareForecastRequest request, StreamObserver<CompareForecastResponse> observer) {
            record("CompareForecast", request);
            answer(observer, CompareForecastResponse.newBuilder()
                    .setBaseline(Forecast.newBuilder().setExpectedRevenue(usd(15_000)))
                    .setCandidate(Forecast.newBuilder().setExpectedRevenue(usd(18_000)))
                    .setExpectedRevenueDelta(usd(3_000)).setAccountsChanged(4)
                    .addChanges(AccountForecastChange.newBuilder().setAccountId("quiet-mid").setPersonaBefore(Persona.PERSONA_FIZZLER)
                            .setPersonaAfter(Persona.PERSONA_GOLDEN_LEAD).setExpectedBefore(usd(0)).setExpectedAfter(usd(3_000)))
                    .build());
        }

        @Override
        public void getCalibration(GetCalibrationRequest request, StreamObserver<Calibration> observer) {
            record("GetCalibration", request);
            // 7 of 20 closed golden leads converted: 95% interval 18%..57%
            answer(observer, Calibration.newBuilder().setConfidence(0.95).addPersonas(PersonaCalibration.newBuilder()
                    .setPersona(Persona.PERSONA_GOLDEN_LEAD).setClosedTrials(20).setConverted(7).setObservedRate(0.35)
                    .setIntervalLow(0.18).setIntervalHigh(0.57).setSuggestedOdds(0.4)).build());
        }

        @Override
        public void getForecastHistory(pql.v1.GetForecastHistoryRequest request, StreamObserver<pql.v1.ForecastHistory> observer) {
            record("GetForecastHistory", request);
            answer(observer, pql.v1.ForecastHistory.newBuilder()
                    .addPoints(Forecast.newBuilder().setAsOf(request.getFrom()).setOpenTrials(3).setExpectedRevenue(usd(15_000)))
                    .addPoints(Forecast.newBuilder().setAsOf(request.getTo()).setOpenTrials(4).setExpectedRevenue(usd(18_500)))
                    .build());
        }

        @Override
        public void getForecastWaterfall(pql.v1.GetForecastWaterfallRequest request,
                StreamObserver<pql.v1.ForecastWaterfall> observer) {
            record("GetForecastWaterfall", request);
            answer(observer, pql.v1.ForecastWaterfall.newBuilder()
                    .setStart(Forecast.newBuilder().setOpenTrials(3).setExpectedRevenue(usd(15_000)))
                    .setEnd(Forecast.newBuilder().setOpenTrials(4).setExpectedRevenue(usd(18_500)))
                    .addSteps(pql.v1.WaterfallStep.newBuilder().setMovement(pql.v1.WaterfallMovement.WATERFALL_MOVEMENT_NEW_TRIAL)
                            .setAccounts(2).setAmount(usd(6_500)).addLargest(pql.v1.WaterfallAccount.newBuilder()
                                    .setAccountId("initech").setAmount(usd(6_000))))
                    .addSteps(pql.v1.WaterfallStep.newBuilder().setMovement(pql.v1.WaterfallMovement.WATERFALL_MOVEMENT_CLOSED_WON)
                            .setAccounts(1).setAmount(usd(-3_000)))
                    .addSteps(pql.v1.WaterfallStep.newBuilder().setMovement(pql.v1.WaterfallMovement.WATERFALL_MOVEMENT_DEFINITION))
                    .build());
        }

        /** Two months: February inside its range (10% off), March above it and with nothing forecast for one persona. */
        @Override
        public void getForecastAccuracy(pql.v1.GetForecastAccuracyRequest request, StreamObserver<pql.v1.ForecastAccuracy> observer) {
            record("GetForecastAccuracy", request);
            answer(observer, pql.v1.ForecastAccuracy.newBuilder().setDefinitionVersion(1).setCurrency("USD").setStep(request.getStep())
                    .addPeriods(pql.v1.PeriodAccuracy.newBuilder().setStart(com.google.protobuf.util.Timestamps.parseUnchecked(
                            "2025-02-01T00:00:00Z")).setEnd(com.google.protobuf.util.Timestamps.parseUnchecked("2025-03-01T00:00:00Z"))
                            .setForecastTrials(1).setForecast(usd(2_700)).setRange(RevenueRange.newBuilder().setP10(usd(0))
                                    .setP50(usd(3_000)).setP90(usd(3_000))).setConversions(1).setActual(usd(3_000)).setError(usd(-300))
                            .setAbsolutePercentageError(0.1).setPercentageErrorDefined(true).setActualWithinRange(true))
                    .addPeriods(pql.v1.PeriodAccuracy.newBuilder().setStart(com.google.protobuf.util.Timestamps.parseUnchecked(
                            "2025-03-01T00:00:00Z")).setEnd(com.google.protobuf.util.Timestamps.parseUnchecked("2025-04-01T00:00:00Z"))
                            .setForecast(usd(0)).setRange(RevenueRange.newBuilder().setP10(usd(0)).setP50(usd(0)).setP90(usd(0)))
                            .setActual(usd(0)).setError(usd(0)))
                    .setTotal(pql.v1.AccuracySummary.newBuilder().setPeriods(2).setForecast(usd(2_700)).setActual(usd(3_000))
                            .setMeanAbsolutePercentageError(0.1).setMapePeriods(1).setMapeDefined(true).setBias(usd(-150))
                            .setWithinRange(2).setWithinRangeRate(1).setWithinRangeLow(0.34).setWithinRangeHigh(1))
                    .addPersonas(pql.v1.PersonaAccuracy.newBuilder().setPersona(Persona.PERSONA_GOLDEN_LEAD)
                            .setSummary(pql.v1.AccuracySummary.newBuilder().setPeriods(1).setForecast(usd(2_700)).setActual(usd(3_000))
                                    .setMeanAbsolutePercentageError(0.1).setMapePeriods(1).setMapeDefined(true).setBias(usd(-300))
                                    .setWithinRange(1)))
                    .build());
        }

        private static Money usd(long units) {
            return Money.newBuilder().setAmountMicros(units * 1_000_000).setCurrency("USD").build();
        }
    }

    /** Accepts every event; remembers each stream chunk (and the batches and single events). */
    private final class Ingest extends IngestServiceGrpc.IngestServiceImplBase {
        @Override
        public StreamObserver<IngestStreamRequest> ingestStream(StreamObserver<IngestStreamResponse> response) {
            return new StreamObserver<>() {
                @Override
                public void onNext(IngestStreamRequest chunk) {
                    record("IngestStream", chunk);
                    IngestStreamResponse.Builder answer = IngestStreamResponse.newBuilder().setSequence(chunk.getSequence())
                            .setAccepted(chunk.getEventsCount());
                    for (int i = 0; i < chunk.getEventsCount(); i++) {
                        answer.addResults(EventResult.newBuilder().setIndex(i).setEventId(chunk.getEvents(i).getEventId())
                                .setStatus(EventResult.Status.STATUS_ACCEPTED));
                    }
                    response.onNext(answer.build());
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    response.onCompleted();
                }
            };
        }

        @Override
        public void ingestBatch(IngestBatchRequest request, StreamObserver<IngestBatchResponse> observer) {
            record("IngestBatch", request);
            if (request.getValidateOnly() && !ignoresValidateOnly.get()) {
                // a dry run: event ids with a space are invalid, the rest valid
                IngestBatchResponse.Builder answer = IngestBatchResponse.newBuilder();
                for (int i = 0; i < request.getEventsCount(); i++) {
                    EventResult.Builder result = EventResult.newBuilder().setIndex(i).setEventId(request.getEvents(i).getEventId());
                    if (request.getEvents(i).getEventId().contains(" ")) {
                        answer.addResults(result.setStatus(EventResult.Status.STATUS_REJECTED).setError(new pql.common.grpc.FieldViolations()
                                .add("event_id", "a space is not allowed").toStatus("invalid event")));
                        answer.setRejected(answer.getRejected() + 1);
                    } else {
                        answer.addResults(result.setStatus(EventResult.Status.STATUS_VALID));
                        answer.setValid(answer.getValid() + 1);
                    }
                }
                answer(observer, answer.build());
                return;
            }
            IngestBatchResponse.Builder answer = IngestBatchResponse.newBuilder().setAccepted(request.getEventsCount());
            for (int i = 0; i < request.getEventsCount(); i++) {
                answer.addResults(EventResult.newBuilder().setIndex(i).setStatus(EventResult.Status.STATUS_ACCEPTED));
            }
            answer(observer, answer.build());
        }

        @Override
        public void ingestEvent(IngestEventRequest request, StreamObserver<IngestEventResponse> observer) {
            record("IngestEvent", request);
            answer(observer, IngestEventResponse.newBuilder().setResult(EventResult.newBuilder()
                    .setStatus(EventResult.Status.STATUS_ACCEPTED)).build());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        server.shutdownNow().awaitTermination();
    }

    /** Lines of {@code text} without trailing blanks, for exact comparisons. */
    static List<String> lines(String text) {
        return new ArrayList<>(text.lines().map(String::stripTrailing).toList());
    }
}
