package pql.gateway.support;

import com.google.protobuf.Timestamp;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.BindableService;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import pql.common.grpc.FieldViolations;
import pql.common.grpc.GrpcErrors;
import pql.gateway.proxy.ForwardedHeaders;
import pql.v1.*;

/**
 * Small in-memory stand-ins for the three services, each on its own Netty port, so the gateway
 * is tested over the same transport as in distributed mode. They remember the principal the
 * gateway forwarded per method.
 */
public final class FakeBackends implements AutoCloseable {

    public final Map<String, String> principalByMethod = new ConcurrentHashMap<>();
    public final CountDownLatch transitionsWatchCancelled = new CountDownLatch(1);
    public final Server ingest;
    public final Server scoring;
    public final Server forecast;
    /** The "pql-api-keys" stream every gateway in front of these backends shares. */
    public final InMemoryApiKeyLog apiKeyLog = new InMemoryApiKeyLog();
    private final HealthStatusManager ingestHealth = new HealthStatusManager();
    private final HealthStatusManager scoringHealth = new HealthStatusManager();
    private final HealthStatusManager forecastHealth = new HealthStatusManager();

    public static final List<AccountScore> SCORES = List.of(
            score("acme", "Acme Corp", 0.8, 91, true, PqlKind.PQL_KIND_CRITERIA_MET, PqlKind.PQL_KIND_HAND_RAISER),
            score("globex", "Globex", 0.2, 35, false),
            firstSeen(score("initech", "Initech", 0.6, 70, true, PqlKind.PQL_KIND_LIMIT_REACHED), 1_741_392_000L)); // 2025-03-08

    private final List<AccountScore> scores;

    public FakeBackends() throws Exception {
        this(SCORES);
    }

    /** Serving {@code scores} instead of the three {@link #SCORES} (e.g. {@link GeneratedScores} for scale). */
    public FakeBackends(List<AccountScore> scores) throws Exception {
        this.scores = scores;
        ingest = start(List.of(new Ingest(), apiKeyLog), ingestHealth, IngestServiceGrpc.SERVICE_NAME);
        scoring = start(List.of(new Scoring(), new Definitions(), new Metrics(), new Alerts()), scoringHealth,
                ScoringServiceGrpc.SERVICE_NAME, DefinitionServiceGrpc.SERVICE_NAME, MetricsServiceGrpc.SERVICE_NAME,
                pql.v1.AlertServiceGrpc.SERVICE_NAME);
        forecast = start(new Forecasts(), forecastHealth, ForecastServiceGrpc.SERVICE_NAME);
    }

    /** Fresh instances of the fake services, to serve elsewhere (the all-in-one's fake suite). */
    public List<ServerServiceDefinition> ingestServices() {
        return recorded(List.of(new Ingest(), apiKeyLog));
    }

    public List<ServerServiceDefinition> scoringServices() {
        return recorded(List.of(new Scoring(), new Definitions(), new Metrics(), new Alerts()));
    }

    public List<ServerServiceDefinition> forecastServices() {
        return recorded(List.of(new Forecasts()));
    }

    private List<ServerServiceDefinition> recorded(List<BindableService> services) {
        return services.stream().map(service -> ServerInterceptors.intercept(service, recordPrincipal())).toList();
    }

    public String target(Server server) {
        return "localhost:" + server.getPort();
    }

    private Server start(BindableService service, HealthStatusManager health, String... names) throws Exception {
        return start(List.of(service), health, names);
    }

    private Server start(List<BindableService> services, HealthStatusManager health, String... names) throws Exception {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
        for (BindableService service : services) {
            builder.addService(ServerInterceptors.intercept(service, recordPrincipal()));
        }
        builder.addService(health.getHealthService());
        for (String name : names) {
            health.setStatus(name, io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
        }
        return builder.build().start();
    }

    private ServerInterceptor recordPrincipal() {
        return new ServerInterceptor() {
            @Override
            public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                    ServerCallHandler<ReqT, RespT> next) {
                String principal = headers.get(ForwardedHeaders.PRINCIPAL);
                principalByMethod.put(call.getMethodDescriptor().getBareMethodName(), principal == null ? "<none>" : principal);
                return next.startCall(call, headers);
            }
        };
    }

    public void setForecastServing(boolean serving) {
        forecastHealth.setStatus(ForecastServiceGrpc.SERVICE_NAME, serving
                ? io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING
                : io.grpc.health.v1.HealthCheckResponse.ServingStatus.NOT_SERVING);
    }

    @Override
    public void close() throws Exception {
        for (Server server : List.of(ingest, scoring, forecast)) {
            server.shutdownNow().awaitTermination();
        }
    }

    /** The filter fields the dashboard uses: PQL only, owners (case-insensitive), sizes, personas, statuses. */
    private static boolean matches(AccountScoreFilter filter, AccountScore score) {
        return (!filter.getPqlOnly() || score.getPql().getIsPql())
                && (filter.getOwnersCount() == 0 || filter.getOwnersList().stream()
                        .anyMatch(owner -> owner.equalsIgnoreCase(score.getProfile().getOwner())))
                && (filter.getOpportunitySizesCount() == 0
                        || filter.getOpportunitySizesList().contains(score.getProfile().getOpportunitySize()))
                && (filter.getPersonasCount() == 0 || filter.getPersonasList().contains(score.getLead().getPersona()))
                && (filter.getStatusesCount() == 0 || filter.getStatusesList().contains(score.getLead().getStatus()));
    }

    private static AccountScore firstSeen(AccountScore score, long epochSecond) {
        return score.toBuilder().setProfile(score.getProfile().toBuilder()
                .setFirstSeenAt(Timestamp.newBuilder().setSeconds(epochSecond))).build();
    }

    static AccountScore score(String id, String name, double activation, double percentile, boolean pql, PqlKind... kinds) {
        return AccountScore.newBuilder()
                .setAccountId(id)
                .setDefinitionVersion(1)
                .setProfile(AccountProfile.newBuilder().setName(name).setOwner("ana@example.com")
                        .setOpportunitySize(OpportunitySize.OPPORTUNITY_SIZE_MID)
                        .setDealSize(Money.newBuilder().setAmountMicros(12_000_000_000L).setCurrency("USD")))
                .setActivation(Activation.newBuilder().setRate(activation).setLevel(Level.LEVEL_HIGH))
                .setEngagement(Engagement.newBuilder().setScore(percentile * 3).setPercentile(percentile))
                .setPql(PqlState.newBuilder().setIsPql(pql).addAllKinds(List.of(kinds)))
                .setLead(Lead.newBuilder().setStatus(LeadStatus.LEAD_STATUS_OPEN).setPersona(Persona.PERSONA_GOLDEN_LEAD)
                        .setOdds(0.5).setExpectedValue(Money.newBuilder().setAmountMicros(6_000_000_000L).setCurrency("USD")))
                .build();
    }

    private static final class Ingest extends IngestServiceGrpc.IngestServiceImplBase {
        @Override
        public void ingestEvent(IngestEventRequest request, StreamObserver<IngestEventResponse> response) {
            if (request.getEvent().getAccountId().isEmpty()) {
                response.onError(new FieldViolations().add("event.account_id", "is required").toException("invalid event"));
                return;
            }
            response.onNext(IngestEventResponse.newBuilder().setResult(EventResult.newBuilder()
                    .setEventId(request.getEvent().getEventId()).setStatus(EventResult.Status.STATUS_ACCEPTED)).build());
            response.onCompleted();
        }

        @Override
        public StreamObserver<IngestStreamRequest> ingestStream(StreamObserver<IngestStreamResponse> response) {
            return new StreamObserver<>() {
                @Override
                public void onNext(IngestStreamRequest chunk) {
                    response.onNext(IngestStreamResponse.newBuilder().setSequence(chunk.getSequence())
                            .setAccepted(chunk.getEventsCount()).build());
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
    }

    private final class Scoring extends ScoringServiceGrpc.ScoringServiceImplBase {
        @Override
        public void getAccountScore(GetAccountScoreRequest request, StreamObserver<AccountScore> response) {
            scores.stream().filter(score -> score.getAccountId().equals(request.getAccountId())).findFirst()
                    .ifPresentOrElse(score -> {
                        response.onNext(request.hasKnownAt() ? score.toBuilder().setKnownAt(request.getKnownAt())
                                .setAsOf(request.getAsOf()).setHeadPosition(42).build()
                                : request.hasAsOf() ? score.toBuilder().setAsOf(request.getAsOf()).build() : score);
                        response.onCompleted();
                    }, () -> response.onError(GrpcErrors.notFound("no account " + request.getAccountId())));
        }

        @Override
        public void listAccountScores(ListAccountScoresRequest request, StreamObserver<ListAccountScoresResponse> response) {
            List<AccountScore> matching = new java.util.ArrayList<>(scores.stream()
                    .filter(score -> matches(request.getFilter(), score)).toList());
            if (request.getOrderBy() == AccountOrder.ACCOUNT_ORDER_EXPECTED_VALUE_DESC) {
                matching.sort(java.util.Comparator.comparingLong(
                        (AccountScore score) -> score.getLead().getExpectedValue().getAmountMicros()).reversed());
            }
            // offset paging; the real service's tokens are opaque keysets
            int from = request.getPageToken().isEmpty() ? 0 : Integer.parseInt(request.getPageToken());
            int to = request.getPageSize() == 0 ? matching.size() : Math.min(matching.size(), from + request.getPageSize());
            ListAccountScoresResponse.Builder page = ListAccountScoresResponse.newBuilder()
                    .addAllScores(matching.subList(Math.min(from, to), to))
                    .setTotalSize(matching.size())
                    .setNextPageToken(to < matching.size() ? Integer.toString(to) : "");
            if (request.hasKnownAt()) {
                page.setKnownAt(request.getKnownAt()).setAsOf(request.getAsOf()).setHeadPosition(42);
            }
            response.onNext(page.build());
            response.onCompleted();
        }

        @Override
        public void streamAccountScores(StreamAccountScoresRequest request, StreamObserver<StreamAccountScoresResponse> response) {
            // "slow" account filter: an endless trickle, for deadline tests.
            if (request.getFilter().getOwnersList().contains("slow")) {
                return;
            }
            List<AccountScore> matching = scores.stream().filter(score -> matches(request.getFilter(), score)).toList();
            // in chunks, as the real service sends them: of 500 at scale, of one account for the three
            // SCORES so that a test can tell messages from accounts
            int chunk = scores == SCORES ? 1 : 500;
            for (int from = 0; from < matching.size(); from += chunk) {
                response.onNext(StreamAccountScoresResponse.newBuilder()
                        .addAllScores(matching.subList(from, Math.min(matching.size(), from + chunk))).build());
            }
            response.onCompleted();
        }

        @Override
        public void watchPqlTransitions(WatchPqlTransitionsRequest request, StreamObserver<PqlTransition> response) {
            ServerCallStreamObserver<PqlTransition> server = (ServerCallStreamObserver<PqlTransition>) response;
            server.setOnCancelHandler(transitionsWatchCancelled::countDown);
            for (int i = 1; i <= Math.min(3, request.getRecent()); i++) {
                server.onNext(PqlTransition.newBuilder().setAccountId("acct-" + i).setAccountName("Account " + i)
                        .setKind(TransitionKind.TRANSITION_KIND_BECAME_PQL).setLogPosition(i)
                        .setAt(Timestamp.newBuilder().setSeconds(1_740_000_000L + i))
                        .addKindsAfter(PqlKind.PQL_KIND_HAND_RAISER).setOwner("ana@example.com").build());
            }
            // ...and then stays open for live transitions, as the real one does.
        }
    }

    private final class Definitions extends DefinitionServiceGrpc.DefinitionServiceImplBase {
        @Override
        public void publishDefinition(PublishDefinitionRequest request, StreamObserver<PublishDefinitionResponse> response) {
            response.onNext(PublishDefinitionResponse.newBuilder().setVersion(2).build());
            response.onCompleted();
        }

        @Override
        public void getDefinition(GetDefinitionRequest request, StreamObserver<DefinitionVersion> response) {
            response.onNext(DefinitionVersion.newBuilder().setVersion(1).setDefinition(ScoringDefinition.newBuilder()
                    .setPql(PqlRule.newBuilder().setSmallThreshold(GeneratedScores.SMALL_THRESHOLD)
                            .setMidThreshold(GeneratedScores.MID_THRESHOLD).setLargeThreshold(GeneratedScores.LARGE_THRESHOLD)))
                    .build());
            response.onCompleted();
        }

        @Override
        public void listDefinitions(ListDefinitionsRequest request, StreamObserver<ListDefinitionsResponse> response) {
            response.onNext(ListDefinitionsResponse.newBuilder().addDefinitions(DefinitionVersion.newBuilder().setVersion(1)
                    .setStatus(DefinitionStatus.DEFINITION_STATUS_ACTIVE)).build());
            response.onCompleted();
        }

        @Override
        public void suggestDefinition(pql.v1.SuggestDefinitionRequest request, StreamObserver<pql.v1.SuggestDefinitionResponse> response) {
            response.onNext(pql.v1.SuggestDefinitionResponse.newBuilder().setTrialsClosed(1).build());
            response.onCompleted();
        }

        @Override
        public void promoteDefinition(PromoteDefinitionRequest request, StreamObserver<DefinitionVersion> response) {
            response.onError(Status.FAILED_PRECONDITION.withDescription("version 2 has not caught up").asRuntimeException());
        }

        /** Echoes the version compared, so a test sees its request arrive. */
        @Override
        public void diffRescore(pql.v1.DiffRescoreRequest request, StreamObserver<pql.v1.DiffRescoreResponse> response) {
            response.onNext(pql.v1.DiffRescoreResponse.newBuilder().setBaselineVersion(1).setCandidateVersion(request.getVersion())
                    .setAccountsCompared(SCORES.size()).setAccountsChanged(1).setPqlGained(1)
                    .addChanges(pql.v1.AccountScoreChange.newBuilder().setAccountId("acme")).build());
            response.onCompleted();
        }
    }

    /** Served (so the scoring backend reports it healthy) but answers UNIMPLEMENTED: routing and scopes only. */
    private static final class Alerts extends pql.v1.AlertServiceGrpc.AlertServiceImplBase {
    }

    private final class Metrics extends MetricsServiceGrpc.MetricsServiceImplBase {
        @Override
        public void getPqlMetrics(GetPqlMetricsRequest request, StreamObserver<PqlMetrics> response) {
            PqlMetrics.Builder metrics = PqlMetrics.newBuilder().setGranularity(request.getGranularity())
                    .setAccounts(scores.size()).setPqls(scores.stream().filter(score -> score.getPql().getIsPql()).count());
            if (request.hasKnownAt()) {
                metrics.setKnownAt(request.getKnownAt()).setHeadPosition(42);
            }
            response.onNext(metrics.build());
            response.onCompleted();
        }
    }

    /** The evaluation instant the fake forecast service answers with when none was asked for. */
    public static final Timestamp LINES_AS_OF = Timestamp.newBuilder().setSeconds(1_740_787_200L).build(); // 2025-03-01

    public static final List<ForecastLine> LINES = List.of(
            line("acme", "Acme, \"the\" Corp", "ana@example.com", 12_000_000_000L, Persona.PERSONA_GOLDEN_LEAD, 0.9),
            line("evil", "=HYPERLINK(\"x\")", "bo@example.com", 1_500_000L, Persona.PERSONA_FIZZLER, 0.1),
            line("multi", "Line\nbreak Ltd", "", 2_000_000_000L, Persona.PERSONA_HEARTBREAKER, 0.05));

    static ForecastLine line(String id, String name, String owner, long dealMicros, Persona persona, double odds) {
        return ForecastLine.newBuilder()
                .setAccountId(id).setAccountName(name).setOwner(owner)
                .setOpportunitySize(OpportunitySize.OPPORTUNITY_SIZE_LARGE).setCloseMonth("2025-04")
                .setDealSize(Money.newBuilder().setAmountMicros(dealMicros).setCurrency("USD"))
                .setClassification(PersonaClassification.newBuilder().setAccountId(id).setPersona(persona).setOdds(odds)
                        .setActivationLevel(Level.LEVEL_HIGH).setEngagementLevel(Level.LEVEL_LOW)
                        .setCommunicationLevel(CommunicationLevel.COMMUNICATION_LEVEL_ACTIVE).setFit(Fit.FIT_GOOD)
                        .setDefinitionVersion(1))
                .setExpectedRevenue(Money.newBuilder().setAmountMicros(Math.round(dealMicros * odds)).setCurrency("USD"))
                .build();
    }

    private static final class Forecasts extends ForecastServiceGrpc.ForecastServiceImplBase {
        /** Echoes the range and step it was asked (so a test sees how the HTTP parameters were mapped). */
        @Override
        public void getForecastAccuracy(pql.v1.GetForecastAccuracyRequest request, StreamObserver<pql.v1.ForecastAccuracy> response) {
            if (!request.hasFrom()) {
                response.onError(GrpcErrors.invalidArgument("from", "required"));
                return;
            }
            response.onNext(pql.v1.ForecastAccuracy.newBuilder().setStep(request.getStep()).setHindsight(request.getHindsight())
                    .setCurrency("USD")
                    .addPeriods(pql.v1.PeriodAccuracy.newBuilder().setStart(request.getFrom()).setEnd(request.getTo()))
                    .build());
            response.onCompleted();
        }

        /**
         * One point per step from {@code from} to {@code to} (default now), each the test lines of the asked owners
         * plus a weekly rise, so a test sees the range, the step and the owner filter mapped.
         */
        @Override
        public void getForecastHistory(pql.v1.GetForecastHistoryRequest request, StreamObserver<pql.v1.ForecastHistory> response) {
            if (!request.hasFrom()) {
                response.onError(GrpcErrors.invalidArgument("from", "required"));
                return;
            }
            java.time.Instant end = request.hasTo() ? instant(request.getTo()) : java.time.Instant.now();
            java.time.ZonedDateTime point = instant(request.getFrom()).atZone(java.time.ZoneOffset.UTC);
            pql.v1.ForecastHistory.Builder history = pql.v1.ForecastHistory.newBuilder();
            for (int index = 0; !point.toInstant().isAfter(end) && index < 100; index++) {
                Timestamp at = Timestamp.newBuilder().setSeconds(point.toEpochSecond()).build();
                history.addPoints(Forecast.newBuilder().setAsOf(at).setKnownAt(at).setCurrency("USD").setOpenTrials(3)
                        .setExpectedRevenue(usd(expectedOf(request.getFilter()) + index * 50_000_000L)));
                point = request.getStep() == Granularity.GRANULARITY_MONTH ? point.plusMonths(1) : point.plusWeeks(1);
            }
            response.onNext(history.build());
            response.onCompleted();
        }

        /** A new trial, a win and a persona move of the asked owners' lines, plus an empty deal-size step. */
        @Override
        public void getForecastWaterfall(pql.v1.GetForecastWaterfallRequest request, StreamObserver<pql.v1.ForecastWaterfall> response) {
            if (!request.hasFrom()) {
                response.onError(GrpcErrors.invalidArgument("from", "required"));
                return;
            }
            long end = expectedOf(request.getFilter());
            long added = 2_000_000_000L;
            long won = -1_200_000_000L;
            long upgraded = 700_000_000L;
            Timestamp to = request.hasTo() ? request.getTo() : LINES_AS_OF;
            response.onNext(pql.v1.ForecastWaterfall.newBuilder()
                    .setStart(Forecast.newBuilder().setAsOf(request.getFrom()).setKnownAt(request.getFrom()).setCurrency("USD")
                            .setExpectedRevenue(usd(end - added - won - upgraded)))
                    .setEnd(Forecast.newBuilder().setAsOf(to).setKnownAt(to).setCurrency("USD").setExpectedRevenue(usd(end)))
                    .addSteps(step(WaterfallMovement.WATERFALL_MOVEMENT_NEW_TRIAL, added, 2, request.getAccountsPerStep()))
                    .addSteps(step(WaterfallMovement.WATERFALL_MOVEMENT_CLOSED_WON, won, 1, request.getAccountsPerStep()))
                    .addSteps(step(WaterfallMovement.WATERFALL_MOVEMENT_PERSONA_UP, upgraded, 1, request.getAccountsPerStep()))
                    .addSteps(step(WaterfallMovement.WATERFALL_MOVEMENT_DEAL_SIZE, 0, 0, request.getAccountsPerStep()))
                    .build());
            response.onCompleted();
        }

        private static WaterfallStep step(WaterfallMovement movement, long micros, int accounts, int listed) {
            WaterfallStep.Builder step = WaterfallStep.newBuilder().setMovement(movement).setAmount(usd(micros)).setAccounts(accounts);
            for (int index = 0; index < Math.min(accounts, listed == 0 ? 20 : listed); index++) {
                step.addLargest(WaterfallAccount.newBuilder().setAccountId("acct-" + (index + 1)).setAmount(usd(micros / accounts)));
            }
            return step.build();
        }

        private static long expectedOf(ForecastFilter filter) {
            return LINES.stream().filter(line -> filter.getOwnersCount() == 0 || filter.getOwnersList().contains(line.getOwner()))
                    .mapToLong(line -> line.getExpectedRevenue().getAmountMicros()).sum();
        }

        private static Money usd(long micros) {
            return Money.newBuilder().setAmountMicros(micros).setCurrency("USD").build();
        }

        private static java.time.Instant instant(Timestamp timestamp) {
            return java.time.Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
        }

        @Override
        public void getForecast(GetForecastRequest request, StreamObserver<Forecast> response) {
            if (request.getDefinitionVersion() == 99) {
                response.onError(GrpcErrors.notFound("no definition version 99"));
                return;
            }
            Forecast.Builder forecast = Forecast.newBuilder().setCurrency("USD").setOpenTrials(3)
                    .setAsOf(request.hasAsOf() ? request.getAsOf() : LINES_AS_OF)
                    .setExpectedRevenue(Money.newBuilder().setAmountMicros(10_900_000_000L).setCurrency("USD"));
            if (request.getGroupByList().contains(ForecastDimension.FORECAST_DIMENSION_PERSONA)) {
                for (ForecastLine line : LINES) {
                    forecast.addGroups(ForecastGroup.newBuilder().setPersona(line.getClassification().getPersona())
                            .setOpenTrials(1).setExpectedRevenue(line.getExpectedRevenue()).setPipeline(line.getDealSize()));
                }
            }
            if (request.hasKnownAt()) {
                forecast.setKnownAt(request.getKnownAt()).setHeadPosition(42);
            }
            response.onNext(forecast.build());
            response.onCompleted();
        }

        @Override
        public void classifyAccount(pql.v1.ClassifyAccountRequest request, StreamObserver<PersonaClassification> response) {
            LINES.stream().filter(line -> line.getAccountId().equals(request.getAccountId())).findFirst().ifPresentOrElse(line -> {
                response.onNext(line.getClassification());
                response.onCompleted();
            }, () -> response.onError(GrpcErrors.notFound("no account " + request.getAccountId())));
        }

        @Override
        public void getCalibration(pql.v1.GetCalibrationRequest request, StreamObserver<pql.v1.Calibration> response) {
            response.onNext(pql.v1.Calibration.newBuilder().setDefinitionVersion(1).setConfidence(request.getConfidence())
                    .setClosedTrials(40).setBrierScore(0.12).setMethod("wilson").build());
            response.onCompleted();
        }

        @Override
        public void compareForecast(pql.v1.CompareForecastRequest request, StreamObserver<pql.v1.CompareForecastResponse> response) {
            response.onNext(pql.v1.CompareForecastResponse.newBuilder()
                    .setBaseline(Forecast.newBuilder().setDefinitionVersion(request.getBaselineVersion()).setCurrency("USD"))
                    .setCandidate(Forecast.newBuilder().setDefinitionVersion(request.getCandidateVersion()).setCurrency("USD"))
                    .setExpectedRevenueDelta(Money.newBuilder().setAmountMicros(-1_500_000).setCurrency("USD"))
                    .setAccountsChanged(1).build());
            response.onCompleted();
        }

        @Override
        public void streamForecastLines(StreamForecastLinesRequest request, StreamObserver<ForecastLine> response) {
            if (request.getDefinitionVersion() == 99) {
                response.onError(GrpcErrors.notFound("no definition version 99"));
                return;
            }
            for (ForecastLine line : LINES) {
                if (request.getFilter().getPersonasCount() == 0
                        || request.getFilter().getPersonasList().contains(line.getClassification().getPersona())) {
                    ForecastLine.Builder stamped = line.toBuilder().setAsOf(request.hasAsOf() ? request.getAsOf() : LINES_AS_OF)
                            .setHeadPosition(42);
                    if (request.hasKnownAt()) {
                        stamped.setKnownAt(request.getKnownAt());
                    }
                    response.onNext(stamped.build());
                }
            }
            response.onCompleted();
        }
    }
}
