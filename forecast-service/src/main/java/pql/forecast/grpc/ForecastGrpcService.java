package pql.forecast.grpc;

import static pql.forecast.grpc.ForecastStatuses.ERRORS;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import pql.common.grpc.PageTokens;
import pql.common.grpc.ReadInstants;
import pql.forecast.app.Forecasting;
import pql.forecast.domain.CalendarStep;
import pql.forecast.domain.accuracy.Period;
import pql.forecast.domain.revenue.AccountChange;
import pql.forecast.domain.revenue.Dimension;
import pql.forecast.domain.revenue.ForecastFilter;
import pql.forecast.domain.revenue.ForecastLine;
import pql.forecast.domain.revenue.ForecastQuery;
import pql.forecast.domain.revenue.StepInstants;
import pql.v1.Calibration;
import pql.v1.ClassifyAccountRequest;
import pql.v1.CompareForecastRequest;
import pql.v1.CompareForecastResponse;
import pql.v1.Forecast;
import pql.v1.ForecastAccuracy;
import pql.v1.ForecastHistory;
import pql.v1.ForecastServiceGrpc;
import pql.v1.GetCalibrationRequest;
import pql.v1.GetForecastAccuracyRequest;
import pql.v1.GetForecastHistoryRequest;
import pql.v1.GetForecastRequest;
import pql.v1.GetForecastWaterfallRequest;
import pql.v1.PersonaClassification;
import pql.v1.StreamForecastLinesRequest;

/** ForecastService: requests checked and mapped to the use cases, answers and failures mapped back. */
public final class ForecastGrpcService extends ForecastServiceGrpc.ForecastServiceImplBase {

    static final int COMPARE_PAGE_DEFAULT = 100;
    static final int COMPARE_PAGE_MAX = 1000;
    static final int HISTORY_POINTS_MAX = 520;
    static final int WATERFALL_ACCOUNTS_DEFAULT = 20;
    static final int WATERFALL_ACCOUNTS_MAX = 1000;
    /** Each period is one replay of history by scoring: five years of months, a year of weeks. */
    static final int ACCURACY_MAX_PERIODS = 60;
    private static final int LINES_READY_THRESHOLD_BYTES = 1 << 20;

    private final Forecasting forecasting;
    private final Clock clock;

    /** @param clock "now" for the requests' checks: as_of and known_at may not be in the future */
    public ForecastGrpcService(Forecasting forecasting, Clock clock) {
        this.forecasting = forecasting;
        this.clock = clock;
    }

    @Override
    public void getForecast(GetForecastRequest request, StreamObserver<Forecast> observer) {
        ERRORS.unary(observer, () -> {
            RequestChecks checks = new RequestChecks();
            Long asOf = checks.pastInstant("as_of", request.hasAsOf(), request.getAsOf(), clock);
            Long knownAt = checks.pastInstant("known_at", request.hasKnownAt(), request.getKnownAt(), clock);
            int version = checks.version("definition_version", request.getDefinitionVersion());
            List<Dimension> groupBy = checks.groupBy("group_by", request.getGroupByList());
            ForecastFilter filter = checks.filter("filter", request.getFilter());
            String currency = checks.currency("currency", request.getCurrency());
            checks.throwIfAny();
            return ForecastProtos.forecast(forecasting.forecast(version, asOf, knownAt,
                    new ForecastQuery(groupBy, filter, currency)), currency);
        });
    }

    /**
     * Lines are produced as the client takes them: the pump sends while the transport is ready and
     * resumes from the on-ready callback, so an export of any size holds one line in flight per
     * ready slot, never the whole list.
     */
    @Override
    public void streamForecastLines(StreamForecastLinesRequest request, StreamObserver<pql.v1.ForecastLine> responseObserver) {
        ServerCallStreamObserver<pql.v1.ForecastLine> observer = (ServerCallStreamObserver<pql.v1.ForecastLine>) responseObserver;
        Forecasting.LineExport export;
        String currency;
        try {
            RequestChecks checks = new RequestChecks();
            Long asOf = checks.pastInstant("as_of", request.hasAsOf(), request.getAsOf(), clock);
            Long knownAt = checks.pastInstant("known_at", request.hasKnownAt(), request.getKnownAt(), clock);
            int version = checks.version("definition_version", request.getDefinitionVersion());
            ForecastFilter filter = checks.filter("filter", request.getFilter());
            currency = checks.currency("currency", request.getCurrency());
            checks.throwIfAny();
            export = forecasting.lines(version, asOf, knownAt, filter, currency);
        } catch (RuntimeException e) {
            observer.onError(ERRORS.toStatus(e));
            return;
        }
        Iterator<ForecastLine> lines = export.lines();
        pql.v1.ForecastLine instants = ForecastProtos.instants(export);
        Runnable pump = new Runnable() {
            private boolean done;

            @Override
            public synchronized void run() {
                if (done) {
                    return;
                }
                try {
                    while (observer.isReady() && lines.hasNext()) {
                        if (observer.isCancelled()) {
                            done = true;
                            return;
                        }
                        ForecastLine line = lines.next();
                        observer.onNext(ForecastProtos.line(line, forecasting.explain(line, export.definition()),
                                export.definition(), currency, instants));
                    }
                    if (!lines.hasNext()) {
                        done = true;
                        observer.onCompleted();
                    }
                } catch (RuntimeException e) {
                    done = true;
                    observer.onError(ERRORS.toStatus(e));
                }
            }
        };
        // Lines are small (~600 bytes): a larger ready threshold than the 32 KiB default lets the
        // pump write more of them per wake-up instead of ping-ponging with the transport.
        observer.setOnReadyThreshold(LINES_READY_THRESHOLD_BYTES);
        observer.setOnReadyHandler(pump);
        observer.setOnCancelHandler(() -> { });
        pump.run();
    }

    @Override
    public void classifyAccount(ClassifyAccountRequest request, StreamObserver<PersonaClassification> observer) {
        ERRORS.unary(observer, () -> {
            RequestChecks checks = new RequestChecks();
            String accountId = checks.accountId("account_id", request.getAccountId());
            Long asOf = checks.pastInstant("as_of", request.hasAsOf(), request.getAsOf(), clock);
            int version = checks.version("definition_version", request.getDefinitionVersion());
            checks.throwIfAny();
            return ForecastProtos.classification(forecasting.classify(accountId, version, asOf));
        });
    }

    @Override
    public void getCalibration(GetCalibrationRequest request, StreamObserver<Calibration> observer) {
        ERRORS.unary(observer, () -> {
            RequestChecks checks = new RequestChecks();
            Long from = checks.instant("from", request.hasFrom(), request.getFrom());
            Long to = checks.instant("to", request.hasTo(), request.getTo());
            if (from != null && to != null && from >= to) {
                checks.add("to", "must be after from");
            }
            int version = checks.version("definition_version", request.getDefinitionVersion());
            double confidence = checks.confidence("confidence", request.getConfidence());
            Long knownAt = checks.pastInstant("known_at", request.hasKnownAt(), request.getKnownAt(), clock);
            checks.throwIfAny();
            return ForecastProtos.calibration(forecasting.calibrate(version, from, to, confidence, knownAt));
        });
    }

    @Override
    public void compareForecast(CompareForecastRequest request, StreamObserver<CompareForecastResponse> observer) {
        ERRORS.unary(observer, () -> {
            RequestChecks checks = new RequestChecks();
            int baseline = checks.version("baseline_version", request.getBaselineVersion());
            int candidate = checks.version("candidate_version", request.getCandidateVersion());
            Long asOf = checks.pastInstant("as_of", request.hasAsOf(), request.getAsOf(), clock);
            Long knownAt = checks.pastInstant("known_at", request.hasKnownAt(), request.getKnownAt(), clock);
            ForecastFilter filter = checks.filter("filter", request.getFilter());
            String currency = checks.currency("currency", request.getCurrency());
            int pageSize = checks.pageSize("page_size", request.getPageSize(), COMPARE_PAGE_DEFAULT, COMPARE_PAGE_MAX);
            long fingerprint = fingerprint(request);
            PageTokens.Position after = checks.pageToken(request.getPageToken(), fingerprint);
            checks.throwIfAny();
            Forecasting.Comparison comparison = forecasting.compare(baseline, candidate, asOf, knownAt, filter, currency);
            Forecast before = ForecastProtos.forecast(comparison.baseline(), currency);
            Forecast now = ForecastProtos.forecast(comparison.candidate(), currency);
            CompareForecastResponse.Builder response = CompareForecastResponse.newBuilder()
                    .setBaseline(before)
                    .setCandidate(now)
                    .setExpectedRevenueDelta(ForecastProtos.money(comparison.candidate().forecast().total().expectedMicros()
                            .subtract(comparison.baseline().forecast().total().expectedMicros()), currency))
                    .setAccountsChanged(comparison.changes().size());
            List<AccountChange> changes = comparison.changes();
            int start = after == null ? 0 : firstAfter(changes, after.id());
            int end = Math.min(changes.size(), start + pageSize);
            for (int i = start; i < end; i++) {
                response.addChanges(ForecastProtos.change(changes.get(i), currency));
            }
            if (end < changes.size()) {
                response.setNextPageToken(PageTokens.encode(fingerprint, 0, changes.get(end - 1).accountId()));
            }
            return response.build();
        });
    }

    @Override
    public void getForecastHistory(GetForecastHistoryRequest request, StreamObserver<ForecastHistory> observer) {
        ERRORS.unary(observer, () -> {
            RequestChecks checks = new RequestChecks();
            Range range = range(checks, request.hasFrom(), request.getFrom(), request.hasTo(), request.getTo());
            CalendarStep step = switch (request.getStep()) {
                case GRANULARITY_UNSPECIFIED, GRANULARITY_WEEK -> CalendarStep.WEEK;
                case GRANULARITY_MONTH -> CalendarStep.MONTH;
                default -> {
                    checks.add("step", "must be GRANULARITY_WEEK or GRANULARITY_MONTH, got " + request.getStepValue());
                    yield CalendarStep.WEEK;
                }
            };
            int version = checks.version("definition_version", request.getDefinitionVersion());
            ForecastFilter filter = checks.filter("filter", request.getFilter());
            String currency = checks.currency("currency", request.getCurrency());
            List<Long> instants = range == null ? null : StepInstants.between(range.from(), range.to(), step, HISTORY_POINTS_MAX);
            if (range != null && instants == null) {
                checks.add("from", "at most " + HISTORY_POINTS_MAX + " points: take a larger step or a shorter range");
            }
            checks.throwIfAny();
            long settledBefore = clock.millis() - ReadInstants.CLOCK_SKEW.toMillis();
            ForecastHistory.Builder history = ForecastHistory.newBuilder();
            forecasting.history(version, instants, filter, currency, settledBefore)
                    .forEach(point -> history.addPoints(ForecastProtos.forecast(point, currency)));
            return history.build();
        });
    }

    @Override
    public void getForecastWaterfall(GetForecastWaterfallRequest request, StreamObserver<pql.v1.ForecastWaterfall> observer) {
        ERRORS.unary(observer, () -> {
            RequestChecks checks = new RequestChecks();
            Range range = range(checks, request.hasFrom(), request.getFrom(), request.hasTo(), request.getTo());
            int fromVersion = checks.version("from_definition_version", request.getFromDefinitionVersion());
            int toVersion = checks.version("to_definition_version", request.getToDefinitionVersion());
            ForecastFilter filter = checks.filter("filter", request.getFilter());
            String currency = checks.currency("currency", request.getCurrency());
            int perStep = checks.pageSize("accounts_per_step", request.getAccountsPerStep(), WATERFALL_ACCOUNTS_DEFAULT,
                    WATERFALL_ACCOUNTS_MAX);
            checks.throwIfAny();
            return ForecastProtos.waterfall(forecasting.waterfall(fromVersion, toVersion, range.from(), range.to(), filter,
                    currency, perStep), currency);
        });
    }

    /** {@code from} required, {@code to} default now; both in the past, from before to. Null when invalid. */
    private Range range(RequestChecks checks, boolean hasFrom, com.google.protobuf.Timestamp from, boolean hasTo,
            com.google.protobuf.Timestamp to) {
        Long start = checks.pastInstant("from", hasFrom, from, clock);
        if (!hasFrom) {
            checks.add("from", "required");
        }
        Long end = hasTo ? checks.pastInstant("to", true, to, clock) : Long.valueOf(clock.millis());
        if (start == null || end == null) {
            return null;
        }
        if (start >= end) {
            checks.add("to", "must be after from");
            return null;
        }
        return new Range(start, end);
    }

    private record Range(long from, long to) {
    }

    public void getForecastAccuracy(GetForecastAccuracyRequest request, StreamObserver<ForecastAccuracy> observer) {
        ERRORS.unary(observer, () -> {
            RequestChecks checks = new RequestChecks();
            Long from = checks.instant("from", request.hasFrom(), request.getFrom());
            Long to = checks.pastInstant("to", request.hasTo(), request.getTo(), clock);
            if (!request.hasFrom()) {
                checks.add("from", "required");
            }
            if (!request.hasTo()) {
                checks.add("to", "required");
            }
            if (from != null && to != null && from >= to) {
                checks.add("to", "must be after from");
            }
            CalendarStep step = AccuracyProtos.step(request.getStep());
            if (step == null) {
                checks.add("step", "must be ACCURACY_STEP_WEEK, _MONTH or _QUARTER, got " + (request.getStep()
                        == pql.v1.AccuracyStep.UNRECOGNIZED ? "number " + request.getStepValue() : request.getStep().name()));
            }
            int version = checks.version("definition_version", request.getDefinitionVersion());
            String currency = checks.currency("currency", request.getCurrency());
            List<Period> periods = List.of();
            if (step != null && from != null && to != null && from < to) {
                periods = Period.split(from, to, step, ACCURACY_MAX_PERIODS);
                if (periods.size() > ACCURACY_MAX_PERIODS) {
                    checks.add("to", "[from, to) spans more than " + ACCURACY_MAX_PERIODS + " periods of a "
                            + step.name().toLowerCase(java.util.Locale.ROOT) + "; ask for a longer step or a shorter range");
                }
            }
            checks.throwIfAny();
            return AccuracyProtos.accuracy(forecasting.accuracy(version, periods, currency, request.getHindsight()), request, currency);
        });
    }

    /** Index of the first change whose account id sorts after {@code accountId} (changes are sorted by id). */
    private static int firstAfter(List<AccountChange> changes, String accountId) {
        int low = 0;
        int high = changes.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (changes.get(middle).accountId().compareTo(accountId) <= 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** Stable across processes: a token survives a restart of the service. */
    private static long fingerprint(CompareForecastRequest request) {
        byte[] bytes = request.toBuilder().clearPageSize().clearPageToken().build().toByteArray();
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(bytes)).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
