package pql.forecast.support;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import pql.v1.AccountScore;
import pql.v1.DefinitionServiceGrpc;
import pql.v1.DefinitionStatus;
import pql.v1.DefinitionVersion;
import pql.v1.ExchangeRateRecord;
import pql.v1.GetAccountScoreRequest;
import pql.v1.GetDefinitionPresetRequest;
import pql.v1.GetDefinitionRequest;
import pql.v1.ListExchangeRatesRequest;
import pql.v1.ListExchangeRatesResponse;
import pql.v1.PersonaOdds;
import pql.v1.ScoringDefinition;
import pql.v1.ScoringServiceGrpc;
import pql.v1.StreamAccountScoresRequest;
import pql.v1.StreamAccountScoresResponse;

/**
 * TEST FIXTURE, not scoring-service: a small in-memory ScoringService + DefinitionService that
 * serves the AccountScores a test gives it, with the semantics forecast-service relies on
 * (version 0 = active, NOT_FOUND for unknown versions and accounts, FAILED_PRECONDITION for a
 * version without scores, changed_after_position against each score's log_position, head
 * position, chunks of 500, as_of answered from scores registered for past instants). The real
 * scoring-service is built separately; this lets forecast-service be tested over real gRPC.
 */
public final class ScoringServiceFixture implements AutoCloseable {

    private final Map<Integer, DefinitionVersion> definitions = new ConcurrentHashMap<>();
    private volatile int activeVersion;
    /** version -> account id -> latest score */
    private final Map<Integer, Map<String, AccountScore>> scores = new ConcurrentHashMap<>();
    /** version -> as-of instant (ms) -> every account's score as of then */
    private final Map<Integer, NavigableMap<Long, List<AccountScore>>> history = new ConcurrentHashMap<>();
    /** version -> known_at instant (ms) -> what was known then: every account's score and the log position */
    private final Map<Integer, NavigableMap<Long, Known>> knowledge = new ConcurrentHashMap<>();

    private record Known(long headPosition, List<AccountScore> scores) {
    }
    private final List<StreamAccountScoresRequest> streamRequests = new CopyOnWriteArrayList<>();
    /** Scoring's clock: the evaluation instant of an export without as_of (scoring echoes the one it used). */
    private volatile com.google.protobuf.Timestamp now = com.google.protobuf.Timestamp.newBuilder()
            .setSeconds(java.time.Instant.parse("2025-03-01T00:00:00Z").getEpochSecond()).build();
    private final List<GetAccountScoreRequest> accountRequests = new CopyOnWriteArrayList<>();
    private final AtomicInteger presetRequests = new AtomicInteger();
    private final List<ExchangeRateRecord> rates = new CopyOnWriteArrayList<>();
    private final List<ListExchangeRatesRequest> rateRequests = new CopyOnWriteArrayList<>();
    private final HealthStatusManager health = new HealthStatusManager();
    private final String name = "scoring-fixture-" + UUID.randomUUID();
    private Server running;

    private ScoringServiceFixture() {
    }

    /** In-process, reachable at {@link #name()}. */
    public static ScoringServiceFixture inProcess() throws IOException {
        ScoringServiceFixture fixture = new ScoringServiceFixture();
        return fixture.started(InProcessServerBuilder.forName(fixture.name).directExecutor());
    }

    /** On a loopback Netty port ({@link #port()}). */
    public static ScoringServiceFixture onLoopback() throws IOException {
        ScoringServiceFixture fixture = new ScoringServiceFixture();
        return fixture.started(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)));
    }

    private ScoringServiceFixture started(io.grpc.ServerBuilder<?> builder) throws IOException {
        running = builder.addService(new Scoring()).addService(new Definitions()).addService(health.getHealthService())
                .build().start();
        health.setStatus("pql.v1.ScoringService", ServingStatus.SERVING);
        return this;
    }

    public String name() {
        return name;
    }

    public int port() {
        return running.getPort();
    }

    /** Publishes a version with these odds overrides (persona -> odds); the first one published is active. */
    public ScoringServiceFixture publish(int version, Map<pql.v1.Persona, Double> odds) {
        ScoringDefinition.Builder definition = ScoringDefinition.newBuilder().setName("v" + version);
        odds.forEach((persona, value) -> definition.addPersonaOdds(PersonaOdds.newBuilder().setPersona(persona).setOdds(value)));
        definitions.put(version, DefinitionVersion.newBuilder().setVersion(version).setDefinition(definition)
                .setStatus(DefinitionStatus.DEFINITION_STATUS_READY).build());
        if (activeVersion == 0) {
            activeVersion = version;
        }
        return this;
    }

    public ScoringServiceFixture activate(int version) {
        activeVersion = version;
        return this;
    }

    /** Adds or replaces scores under a version (each keeps its own log_position). */
    public ScoringServiceFixture put(int version, List<AccountScore> accountScores) {
        Map<String, AccountScore> byId = scores.computeIfAbsent(version, v -> new ConcurrentHashMap<>());
        for (AccountScore score : accountScores) {
            byId.put(score.getAccountId(), score.toBuilder().setDefinitionVersion(version).build());
        }
        return this;
    }

    public ScoringServiceFixture put(int version, AccountScore... accountScores) {
        return put(version, List.of(accountScores));
    }

    /** What an as-of request for any instant at or after {@code asOfMillis} (until a later entry) gets. */
    public ScoringServiceFixture putAsOf(int version, long asOfMillis, List<AccountScore> accountScores) {
        history.computeIfAbsent(version, v -> new TreeMap<>()).put(asOfMillis, List.copyOf(accountScores));
        return this;
    }

    /** Moves scoring's clock: exports without as_of are evaluated at {@code instant} from now on. */
    public void clockAt(java.time.Instant instant) {
        now = com.google.protobuf.Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
    }

    /**
     * What a known_at request for any instant at or after {@code knownAtMillis} (until a later entry) gets,
     * whatever its as_of: these scores, and {@code headPosition} as the log position they include.
     */
    public ScoringServiceFixture putKnownAt(int version, long knownAtMillis, long headPosition, List<AccountScore> accountScores) {
        knowledge.computeIfAbsent(version, v -> new TreeMap<>()).put(knownAtMillis, new Known(headPosition,
                List.copyOf(accountScores)));
        return this;
    }

    /** Records an exchange rate as ingest would have on {@code recordedAt} (the next sequence). */
    public synchronized ScoringServiceFixture rate(String base, String quote, String rate, String effectiveDate, String recordedAt) {
        rates.add(ExchangeRateRecord.newBuilder().setBase(base).setQuote(quote).setRate(rate).setEffectiveDate(effectiveDate)
                .setRecordedAt(Scores.timestamp(recordedAt)).setSequence(rates.size() + 1)
                .setEventId("rate-" + (rates.size() + 1)).build());
        return this;
    }

    public List<ListExchangeRatesRequest> rateRequests() {
        return rateRequests;
    }

    public List<StreamAccountScoresRequest> streamRequests() {
        return Collections.unmodifiableList(streamRequests);
    }

    public List<GetAccountScoreRequest> accountRequests() {
        return Collections.unmodifiableList(accountRequests);
    }

    /** How many GetDefinitionPreset calls arrived (forecast asks only when a definition lacks a persona). */
    public int presetRequests() {
        return presetRequests.get();
    }

    public void setServing(boolean serving) {
        health.setStatus("pql.v1.ScoringService", serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    }

    private int resolve(int version) {
        int resolved = version == 0 ? activeVersion : version;
        if (!definitions.containsKey(resolved)) {
            throw Status.NOT_FOUND.withDescription("definition version " + version + " not found").asRuntimeException();
        }
        return resolved;
    }

    private final class Definitions extends DefinitionServiceGrpc.DefinitionServiceImplBase {
        @Override
        public void getDefinition(GetDefinitionRequest request, StreamObserver<DefinitionVersion> observer) {
            try {
                observer.onNext(definitions.get(resolve(request.getVersion())));
                observer.onCompleted();
            } catch (RuntimeException e) {
                observer.onError(e);
            }
        }

        /** Seed 004's odds for every persona, as scoring-service's presets carry them. */
        @Override
        public void getDefinitionPreset(GetDefinitionPresetRequest request, StreamObserver<ScoringDefinition> observer) {
            presetRequests.incrementAndGet();
            ScoringDefinition.Builder preset = ScoringDefinition.newBuilder().setName("preset")
                    .setProductComplexity(request.getProductComplexity());
            SeedOdds.DEFAULTS.forEach((persona, odds) -> preset.addPersonaOdds(PersonaOdds.newBuilder()
                    .setPersona(pql.v1.Persona.valueOf("PERSONA_" + persona.name())).setOdds(odds.value())));
            observer.onNext(preset.build());
            observer.onCompleted();
        }
    }

    private final class Scoring extends ScoringServiceGrpc.ScoringServiceImplBase {

        @Override
        public void listExchangeRates(ListExchangeRatesRequest request, StreamObserver<ListExchangeRatesResponse> observer) {
            rateRequests.add(request);
            ListExchangeRatesResponse.Builder response = ListExchangeRatesResponse.newBuilder().setLastSequence(rates.size());
            rates.stream().filter(rate -> rate.getSequence() > request.getAfterSequence())
                    .filter(rate -> !request.hasKnownAt() || millis(rate.getRecordedAt()) <= millis(request.getKnownAt()))
                    .forEach(response::addRates);
            observer.onNext(response.build());
            observer.onCompleted();
        }

        @Override
        public void getAccountScore(GetAccountScoreRequest request, StreamObserver<AccountScore> observer) {
            accountRequests.add(request);
            try {
                int version = resolve(request.getDefinitionVersion());
                AccountScore score = null;
                if (request.hasKnownAt()) {
                    Known known = known(version, millis(request.getKnownAt()));
                    score = known.scores().stream().filter(s -> s.getAccountId().equals(request.getAccountId())).findFirst()
                            .map(s -> s.toBuilder().setKnownAt(request.getKnownAt()).setHeadPosition(known.headPosition()).build())
                            .orElse(null);
                } else if (request.hasAsOf()) {
                    List<AccountScore> then = asOf(version, millis(request.getAsOf()));
                    score = then.stream().filter(s -> s.getAccountId().equals(request.getAccountId())).findFirst().orElse(null);
                } else {
                    score = scores.getOrDefault(version, Map.of()).get(request.getAccountId());
                }
                if (score == null) {
                    throw Status.NOT_FOUND.withDescription("account " + request.getAccountId() + " has no events").asRuntimeException();
                }
                observer.onNext(score);
                observer.onCompleted();
            } catch (RuntimeException e) {
                observer.onError(e);
            }
        }

        @Override
        public void streamAccountScores(StreamAccountScoresRequest request, StreamObserver<StreamAccountScoresResponse> responseObserver) {
            streamRequests.add(request);
            ServerCallStreamObserver<StreamAccountScoresResponse> observer =
                    (ServerCallStreamObserver<StreamAccountScoresResponse>) responseObserver;
            List<AccountScore> selected = new ArrayList<>();
            long head;
            try {
                int version = resolve(request.getDefinitionVersion());
                if (request.hasKnownAt()) {
                    Known known = known(version, millis(request.getKnownAt()));
                    selected.addAll(known.scores());
                    head = known.headPosition();
                } else if (request.hasAsOf()) {
                    selected.addAll(asOf(version, millis(request.getAsOf())));
                    head = 0;
                } else {
                    Map<String, AccountScore> current = scores.get(version);
                    if (current == null) {
                        throw Status.FAILED_PRECONDITION.withDescription("version " + version + " has no projection")
                                .asRuntimeException();
                    }
                    head = 0;
                    for (AccountScore score : current.values()) {
                        head = Math.max(head, score.getLogPosition());
                        if (score.getLogPosition() > request.getChangedAfterPosition()) {
                            selected.add(score);
                        }
                    }
                }
            } catch (RuntimeException e) {
                observer.onError(e);
                return;
            }
            selected.sort(java.util.Comparator.comparing(AccountScore::getAccountId));
            long headPosition = head;
            com.google.protobuf.Timestamp evaluatedAt = request.hasAsOf() ? request.getAsOf() : now;
            Iterator<AccountScore> pending = selected.iterator();
            Runnable pump = new Runnable() {
                boolean sentAny;
                boolean done;

                @Override
                public synchronized void run() {
                    while (!done && observer.isReady() && (pending.hasNext() || !sentAny)) {
                        StreamAccountScoresResponse.Builder chunk = StreamAccountScoresResponse.newBuilder().setHeadPosition(headPosition)
                                .setAsOf(evaluatedAt);
                        for (int i = 0; i < 500 && pending.hasNext(); i++) {
                            chunk.addScores(pending.next());
                        }
                        observer.onNext(chunk.build());
                        sentAny = true;
                    }
                    if (!done && sentAny && !pending.hasNext()) {
                        done = true;
                        observer.onCompleted();
                    }
                }
            };
            observer.setOnReadyHandler(pump);
            observer.setOnCancelHandler(() -> { });
            pump.run();
        }
    }

    private List<AccountScore> asOf(int version, long asOfMillis) {
        NavigableMap<Long, List<AccountScore>> versions = history.getOrDefault(version, new TreeMap<>());
        Map.Entry<Long, List<AccountScore>> entry = versions.floorEntry(asOfMillis);
        return entry == null ? List.of() : entry.getValue();
    }

    private Known known(int version, long knownAtMillis) {
        Map.Entry<Long, Known> entry = knowledge.getOrDefault(version, new TreeMap<>()).floorEntry(knownAtMillis);
        return entry == null ? new Known(0, List.of()) : entry.getValue();
    }

    private static long millis(com.google.protobuf.Timestamp timestamp) {
        return timestamp.getSeconds() * 1000 + timestamp.getNanos() / 1_000_000;
    }

    @Override
    public void close() throws InterruptedException {
        running.shutdownNow();
        running.awaitTermination(5, TimeUnit.SECONDS);
    }
}
