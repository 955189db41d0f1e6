package pql.forecast.grpc;

import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.math.BigDecimal;
import java.time.LocalDate;
import pql.forecast.app.DefinitionOdds;
import pql.forecast.app.ExchangeRatesSource;
import pql.forecast.domain.currency.ExchangeRate;
import pql.v1.ExchangeRateRecord;
import pql.v1.ListExchangeRatesRequest;
import pql.v1.ListExchangeRatesResponse;
import pql.forecast.app.ForecastException;
import pql.forecast.app.ScoresSource;
import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.Odds;
import pql.forecast.domain.Persona;
import pql.forecast.domain.PersonaOdds;
import pql.v1.AccountScore;
import pql.v1.DefinitionServiceGrpc;
import pql.v1.DefinitionVersion;
import pql.v1.GetAccountScoreRequest;
import pql.v1.GetDefinitionPresetRequest;
import pql.v1.GetDefinitionRequest;
import pql.v1.ProductComplexity;
import pql.v1.ScoreView;
import pql.v1.ScoringDefinition;
import pql.v1.ScoringServiceGrpc;
import pql.v1.StreamAccountScoresRequest;
import pql.v1.StreamAccountScoresResponse;

/**
 * {@link ScoresSource} over scoring-service's gRPC API: StreamAccountScores (BASIC view: no
 * checklist steps, top actions or champions, which the forecast does not use) for portfolios,
 * GetAccountScore for one account, DefinitionService.GetDefinition for the persona odds, and
 * ListExchangeRates for the rates the forecast converts with.
 *
 * <p>Scoring fills in seed 004's odds for every persona a definition leaves out when it validates
 * it, so GetDefinition carries all seven and forecast needs no defaults of its own. Only if a
 * definition comes with fewer (a fake scoring-service in tests, or a build that did not fill them) are the seed's odds
 * asked for, once, from GetDefinitionPreset: scoring-service stays their one source.
 */
public final class ScoringClient implements ScoresSource, ExchangeRatesSource {

    private final ScoringServiceGrpc.ScoringServiceBlockingStub scoring;
    private final DefinitionServiceGrpc.DefinitionServiceBlockingStub definitions;
    private final long deadlineSeconds;
    private final long asOfDeadlineSeconds;
    @Override
    public List<ExchangeRate> recordedAfter(long afterSequence) {
        ListExchangeRatesResponse response;
        try {
            response = scoring.withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS)
                    .listExchangeRates(ListExchangeRatesRequest.newBuilder().setAfterSequence(afterSequence).build());
        } catch (StatusRuntimeException e) {
            throw failure("exchange rates", e);
        }
        List<ExchangeRate> rates = new ArrayList<>(response.getRatesCount());
        for (ExchangeRateRecord rate : response.getRatesList()) {
            try {
                rates.add(new ExchangeRate(rate.getBase(), rate.getQuote(), new BigDecimal(rate.getRate()),
                        LocalDate.parse(rate.getEffectiveDate()), ForecastProtos.epochMillis(rate.getRecordedAt()),
                        rate.getSequence()));
            } catch (RuntimeException e) {
                throw new ForecastException(ForecastException.Kind.INTERNAL,
                        "scoring-service sent an invalid exchange rate #" + rate.getSequence() + ": " + e.getMessage());
            }
        }
        return rates;
    }

    /** Seed 004's odds per persona from scoring's preset; null until a definition needed them. */
    private volatile Map<Persona, Odds> seedOdds;

    /**
     * @param deadlineSeconds for unary calls and current-state exports
     * @param asOfDeadlineSeconds for as-of exports, which replay the log up to the instant
     */
    public ScoringClient(Channel channel, long deadlineSeconds, long asOfDeadlineSeconds) {
        this.scoring = ScoringServiceGrpc.newBlockingStub(channel);
        this.definitions = DefinitionServiceGrpc.newBlockingStub(channel);
        this.deadlineSeconds = deadlineSeconds;
        this.asOfDeadlineSeconds = asOfDeadlineSeconds;
    }

    @Override
    public DefinitionOdds definition(int version) {
        DefinitionVersion definition;
        try {
            definition = definitions.withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS)
                    .getDefinition(GetDefinitionRequest.newBuilder().setVersion(version).build());
        } catch (StatusRuntimeException e) {
            throw failure("definition version " + version, e);
        }
        Map<Persona, Odds> own = odds("definition v" + definition.getVersion(), definition.getDefinition());
        Map<Persona, Odds> defaults = PersonaOdds.coversEveryPersona(own) ? Map.of() : seedOdds();
        return new DefinitionOdds(definition.getVersion(), PersonaOdds.of(own, defaults));
    }

    /** Seed 004's odds, from scoring-service's preset (every preset carries them all), asked once. */
    private Map<Persona, Odds> seedOdds() {
        Map<Persona, Odds> known = seedOdds;
        if (known == null) {
            ScoringDefinition preset;
            try {
                preset = definitions.withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS)
                        .getDefinitionPreset(GetDefinitionPresetRequest.newBuilder()
                                .setProductComplexity(ProductComplexity.PRODUCT_COMPLEXITY_INTERMEDIATE).build());
            } catch (StatusRuntimeException e) {
                throw failure("the seed odds (definition preset)", e);
            }
            known = odds("the definition preset", preset);
            if (!PersonaOdds.coversEveryPersona(known)) {
                throw new ForecastException(ForecastException.Kind.INTERNAL,
                        "the definition preset has odds for " + known.keySet() + " only, not every persona");
            }
            seedOdds = known;
        }
        return known;
    }

    private static Map<Persona, Odds> odds(String source, ScoringDefinition definition) {
        Map<Persona, Odds> odds = new EnumMap<>(Persona.class);
        for (pql.v1.PersonaOdds entry : definition.getPersonaOddsList()) {
            Persona persona = ScoreMapper.persona(entry.getPersona());
            if (persona == null) {
                continue; // a persona this build does not know yet
            }
            try {
                odds.put(persona, Odds.of(entry.getOdds()));
            } catch (IllegalArgumentException e) {
                throw new ForecastException(ForecastException.Kind.INTERNAL,
                        source + " has invalid odds for " + persona + ": " + e.getMessage());
            }
        }
        return odds;
    }

    @Override
    public ScoreExport export(int version, Long asOfEpochMillis, Long knownAtEpochMillis, long changedAfterPosition) {
        StreamAccountScoresRequest.Builder request = StreamAccountScoresRequest.newBuilder()
                .setDefinitionVersion(version)
                .setView(ScoreView.SCORE_VIEW_BASIC);
        if (knownAtEpochMillis != null) {
            request.setKnownAt(ForecastProtos.timestamp(knownAtEpochMillis));
        }
        if (asOfEpochMillis != null) {
            request.setAsOf(ForecastProtos.timestamp(asOfEpochMillis));
        } else if (knownAtEpochMillis == null) {
            request.setChangedAfterPosition(changedAfterPosition);
        }
        // a past known_at folds the log forward from scoring's nearest snapshot: as long as an as-of replay, at worst
        boolean past = asOfEpochMillis != null || knownAtEpochMillis != null;
        long deadline = past ? asOfDeadlineSeconds : deadlineSeconds;
        // The call lives in its own cancellable context, so closing the export early stops the stream.
        // A current-state load fills the shared cache: it outlives the request that started it
        // (a caller's short deadline must not abort the load every caller after it needs). An
        // as-of load serves one request and stops with it.
        Context base = !past ? Context.ROOT : Context.current();
        Context.CancellableContext context = base.withCancellation();
        Context previous = context.attach();
        try {
            Iterator<StreamAccountScoresResponse> chunks = scoring.withDeadlineAfter(deadline, TimeUnit.SECONDS)
                    .streamAccountScores(request.build());
            return new StreamedExport(chunks, context, "scores of version " + version);
        } catch (StatusRuntimeException e) {
            context.cancel(e);
            throw failure("scores of version " + version, e);
        } finally {
            context.detach(previous);
        }
    }

    @Override
    public AccountSnapshot account(String accountId, int version, Long asOfEpochMillis, Long knownAtEpochMillis) {
        GetAccountScoreRequest.Builder request = GetAccountScoreRequest.newBuilder()
                .setAccountId(accountId)
                .setDefinitionVersion(version);
        if (asOfEpochMillis != null) {
            request.setAsOf(ForecastProtos.timestamp(asOfEpochMillis));
        }
        if (knownAtEpochMillis != null) {
            request.setKnownAt(ForecastProtos.timestamp(knownAtEpochMillis));
        }
        boolean past = asOfEpochMillis != null || knownAtEpochMillis != null;
        try {
            AccountScore score = scoring.withDeadlineAfter(past ? asOfDeadlineSeconds : deadlineSeconds,
                    TimeUnit.SECONDS).getAccountScore(request.build());
            return ScoreMapper.toSnapshot(score);
        } catch (StatusRuntimeException e) {
            throw failure("account " + accountId, e);
        }
    }

    private static final class StreamedExport implements ScoreExport {
        private final Iterator<StreamAccountScoresResponse> chunks;
        private final Context.CancellableContext context;
        private final String what;
        private long headPosition;
        private long asOfEpochMillis = Long.MIN_VALUE;

        StreamedExport(Iterator<StreamAccountScoresResponse> chunks, Context.CancellableContext context, String what) {
            this.chunks = chunks;
            this.context = context;
            this.what = what;
        }

        @Override
        public boolean hasNext() {
            try {
                return chunks.hasNext();
            } catch (StatusRuntimeException e) {
                throw failure(what, e);
            }
        }

        @Override
        public List<AccountSnapshot> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            StreamAccountScoresResponse chunk;
            try {
                chunk = chunks.next();
            } catch (StatusRuntimeException e) {
                throw failure(what, e);
            }
            headPosition = Math.max(headPosition, chunk.getHeadPosition());
            if (chunk.hasAsOf()) {
                asOfEpochMillis = ForecastProtos.epochMillis(chunk.getAsOf());
            }
            List<AccountSnapshot> snapshots = new ArrayList<>(chunk.getScoresCount());
            for (AccountScore score : chunk.getScoresList()) {
                snapshots.add(ScoreMapper.toSnapshot(score));
            }
            return snapshots;
        }

        @Override
        public long headPosition() {
            return headPosition;
        }

        @Override
        public long asOfEpochMillis() {
            return asOfEpochMillis;
        }

        @Override
        public void close() {
            context.cancel(null);
        }
    }

    /** scoring-service's answer, as the forecast's callers should read it. */
    static ForecastException failure(String what, StatusRuntimeException e) {
        String detail = e.getStatus().getDescription() == null ? e.getStatus().getCode().toString() : e.getStatus().getDescription();
        return switch (e.getStatus().getCode()) {
            case NOT_FOUND -> new ForecastException(ForecastException.Kind.NOT_FOUND, detail, e);
            case FAILED_PRECONDITION -> new ForecastException(ForecastException.Kind.FAILED_PRECONDITION, detail, e);
            case RESOURCE_EXHAUSTED -> new ForecastException(ForecastException.Kind.RESOURCE_EXHAUSTED,
                    "scoring-service is busy: " + detail, e);
            case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, ABORTED, UNKNOWN -> new ForecastException(ForecastException.Kind.UNAVAILABLE,
                    "scoring-service unavailable for " + what + ": " + e.getStatus().getCode() + " " + detail, e);
            default -> new ForecastException(ForecastException.Kind.INTERNAL,
                    "scoring-service answered " + e.getStatus().getCode() + " for " + what + ": " + detail, e);
        };
    }
}
