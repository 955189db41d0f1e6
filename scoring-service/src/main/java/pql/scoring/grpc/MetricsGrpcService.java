package pql.scoring.grpc;

import static pql.scoring.grpc.ScoringStatuses.ERRORS;

import io.grpc.stub.StreamObserver;
import java.time.Clock;
import pql.scoring.app.ProjectionRollout;
import pql.scoring.app.ScoreQueries;
import pql.scoring.app.ScoringException;
import pql.scoring.app.ScoringProjection;
import pql.scoring.domain.metrics.PqlMetricsCalculator;
import pql.scoring.domain.metrics.PqlMetricsCalculator.Granularity;
import pql.v1.GetPqlMetricsRequest;
import pql.v1.MetricsServiceGrpc;
import pql.v1.PeriodMetrics;
import pql.v1.PqlMetrics;
import pql.v1.RateBucket;

/**
 * MetricsService: the PQL funnel per week or month over the accounts of a materialised version, all
 * evaluated at one instant, {@code to} (default: the clock at the request, to the second; echoed as
 * {@code as_of}): PQL counts, DAU/WAU/MAU and the activation distribution are those of that instant (an
 * account with events after it counts as of its newest event), the periods count events up to it.
 */
public final class MetricsGrpcService extends MetricsServiceGrpc.MetricsServiceImplBase {

    static final int MAX_PERIODS = 520;

    private final ProjectionRollout projections;
    private final ScoreQueries queries;
    private final Clock clock;

    /** @param queries answers known_at: the metrics of the projection as known then */
    public MetricsGrpcService(ProjectionRollout projections, ScoreQueries queries, Clock clock) {
        this.projections = projections;
        this.queries = queries;
        this.clock = clock;
    }

    @Override
    public void getPqlMetrics(GetPqlMetricsRequest request, StreamObserver<PqlMetrics> observer) {
        ERRORS.unary(observer, () -> {
            Requests checks = new Requests();
            Long from = checks.instant("from", request.hasFrom(), request.getFrom());
            Long to = checks.instant("to", request.hasTo(), request.getTo());
            checks.version("definition_version", request.getDefinitionVersion());
            Long knownAt = checks.pastInstant("known_at", request.hasKnownAt(), request.getKnownAt(), clock);
            Granularity granularity = switch (request.getGranularity()) {
                case GRANULARITY_UNSPECIFIED, GRANULARITY_WEEK -> Granularity.WEEK;
                case GRANULARITY_MONTH -> Granularity.MONTH;
                case UNRECOGNIZED -> {
                    checks.require(false, "granularity", "unknown granularity");
                    yield Granularity.WEEK;
                }
            };
            checks.throwIfAny();
            long instant = queries.instantOf(to);
            long end = instant;
            long start = from == null ? defaultFrom(end, granularity) : from;
            if (start >= end) {
                throw ScoringException.InvalidRequest.of("from", "must be before `to`");
            }
            long periods = 0;
            for (long p = PqlMetricsCalculator.periodStart(start, granularity); p < end && periods <= MAX_PERIODS;
                    p = PqlMetricsCalculator.nextPeriod(p, granularity)) {
                periods++;
            }
            if (periods > MAX_PERIODS) {
                throw ScoringException.InvalidRequest.of("from", "at most " + MAX_PERIODS + " periods per request");
            }
            int version = projections.resolve(request.getDefinitionVersion());
            ScoringProjection projection;
            long head;
            if (knownAt != null) {
                var known = queries.known(version, knownAt, null);
                projection = known.projection();
                head = known.position();
            } else {
                projection = projections.materialized(version).orElseThrow(() -> new ScoringException.FailedPrecondition(
                        "version " + version + " is not materialised: rescore it"));
                head = projection.processedPosition();
            }
            var metrics = PqlMetricsCalculator.compute(projection.viewAt(instant).summaries(), start, end, granularity);
            PqlMetrics.Builder response = PqlMetrics.newBuilder()
                    .setAsOf(ScoreProtos.timestamp(instant))
                    .setHeadPosition(head)
                    .setDefinitionVersion(version)
                    .setGranularity(granularity == Granularity.WEEK ? pql.v1.Granularity.GRANULARITY_WEEK
                            : pql.v1.Granularity.GRANULARITY_MONTH)
                    .setAccounts(metrics.accounts())
                    .setPqls(metrics.pqls())
                    .setDau(metrics.dau()).setWau(metrics.wau()).setMau(metrics.mau());
            if (knownAt != null) {
                response.setKnownAt(ScoreProtos.timestamp(knownAt));
            }
            if (metrics.medianTimeToPqlMillis() != null) {
                response.setMedianTimeToPqlHours(ScoreProtos.hours(metrics.medianTimeToPqlMillis()));
                response.setP90TimeToPqlHours(ScoreProtos.hours(metrics.p90TimeToPqlMillis()));
            }
            for (int i = 0; i < metrics.activationBuckets().length; i++) {
                response.addActivationDistribution(RateBucket.newBuilder()
                        .setFrom(i / (double) PqlMetricsCalculator.BUCKETS)
                        .setTo((i + 1) / (double) PqlMetricsCalculator.BUCKETS)
                        .setAccounts(metrics.activationBuckets()[i]));
            }
            for (PqlMetricsCalculator.Period period : metrics.periods()) {
                PeriodMetrics.Builder builder = PeriodMetrics.newBuilder()
                        .setStart(ScoreProtos.timestamp(period.start()))
                        .setEnd(ScoreProtos.timestamp(period.end()))
                        .setSignups(period.signups()).setNewPqls(period.newPqls())
                        .setConversions(period.conversions()).setPqlConversions(period.pqlConversions())
                        .setTrialsClosed(period.trialsClosed()).setChurned(period.churned());
                // a rate with nothing to divide by is absent, not 0: "no closed trial" is not "none converted"
                ifPresent(period.pqlRate(), builder::setPqlRate);
                ifPresent(period.pqlToCustomerRate(), builder::setPqlToCustomerRate);
                ifPresent(period.trialToPaidRate(), builder::setTrialToPaidRate);
                ifPresent(period.churnRate(), builder::setChurnRate);
                if (period.medianTimeToPqlMillis() != null) {
                    builder.setMedianTimeToPqlHours(ScoreProtos.hours(period.medianTimeToPqlMillis()));
                }
                response.addPeriods(builder);
            }
            return response.build();
        });
    }

    private static void ifPresent(Double rate, java.util.function.DoubleConsumer set) {
        if (rate != null) {
            set.accept(rate);
        }
    }

    private static long defaultFrom(long to, Granularity granularity) {
        long start = PqlMetricsCalculator.periodStart(to, granularity);
        java.time.ZonedDateTime time = java.time.Instant.ofEpochMilli(start).atZone(java.time.ZoneOffset.UTC);
        return (granularity == Granularity.WEEK ? time.minusWeeks(11) : time.minusMonths(11)).toInstant().toEpochMilli();
    }
}
