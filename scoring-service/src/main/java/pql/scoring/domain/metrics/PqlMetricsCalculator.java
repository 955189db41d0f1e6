package pql.scoring.domain.metrics;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import pql.scoring.domain.score.AccountSummary;

/**
 * The PQL funnel per period (seeds 002 and 004): raw PQLs per week or month, PQL rate of the period's
 * signups, PQL-to-customer and trial-to-paid conversion, churn, time to PQL; plus the activation-rate
 * distribution and DAU/WAU/MAU. All from account summaries; every instant is event time.
 */
public final class PqlMetricsCalculator {

    public static final int BUCKETS = 10;
    private static final long NONE = AccountSummary.NONE;

    public enum Granularity { WEEK, MONTH }

    public record Period(long start, long end, long signups, long newPqls, Double pqlRate, long conversions,
            long pqlConversions, Double pqlToCustomerRate, long trialsClosed, Double trialToPaidRate, long churned,
            Double churnRate, Long medianTimeToPqlMillis) {
    }

    /**
     * @param activationBuckets accounts per activation-rate tenth, [0, 0.1) ... [0.9, 1.0]
     */
    public record Metrics(List<Period> periods, Long medianTimeToPqlMillis, Long p90TimeToPqlMillis,
            long[] activationBuckets, long accounts, long pqls, long dau, long wau, long mau) {
    }

    private PqlMetricsCalculator() {
    }

    /** The start of the period containing {@code at}: Monday 00:00 UTC or the 1st 00:00 UTC. */
    public static long periodStart(long at, Granularity granularity) {
        LocalDate day = Instant.ofEpochMilli(at).atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate start = granularity == Granularity.WEEK
                ? day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                : day.withDayOfMonth(1);
        return start.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    public static long nextPeriod(long start, Granularity granularity) {
        ZonedDateTime time = Instant.ofEpochMilli(start).atZone(ZoneOffset.UTC);
        return (granularity == Granularity.WEEK ? time.plusWeeks(1) : time.plusMonths(1)).toInstant().toEpochMilli();
    }

    /** Periods from the one containing {@code from} through the one containing {@code to} (exclusive end). */
    public static Metrics compute(List<AccountSummary> accounts, long from, long to, Granularity granularity) {
        List<Period> periods = new ArrayList<>();
        for (long start = periodStart(from, granularity); start < to; start = nextPeriod(start, granularity)) {
            periods.add(period(accounts, start, nextPeriod(start, granularity)));
        }
        List<Long> timesToPql = new ArrayList<>();
        long[] buckets = new long[BUCKETS];
        long total = 0;
        long pqls = 0;
        long dau = 0;
        long wau = 0;
        long mau = 0;
        for (AccountSummary account : accounts) {
            if (account.firstSeenAt() == NONE || account.firstSeenAt() >= to) {
                continue;
            }
            total++;
            // The suite's one "PQL count": PQLs at the evaluation instant, as ListAccountScores
            // (pql_only) and the dashboard count them; the periods' new_pqls count qualifications.
            if (account.isPql()) {
                pqls++;
            }
            if (in(account.qualifiedAt(), from, to)) {
                timesToPql.add(account.qualifiedAt() - account.firstSeenAt());
            }
            buckets[Math.min(BUCKETS - 1, (int) Math.floor(account.activationRate() * BUCKETS))]++;
            dau += account.dau();
            wau += account.wau();
            mau += account.mau();
        }
        return new Metrics(periods, percentile(timesToPql, 0.5), percentile(timesToPql, 0.9), buckets, total, pqls,
                dau, wau, mau);
    }

    private static Period period(List<AccountSummary> accounts, long start, long end) {
        long signups = 0;
        long signupsQualified = 0;
        long newPqls = 0;
        long newPqlsConverted = 0;
        long conversions = 0;
        long pqlConversions = 0;
        long closed = 0;
        long closedConverted = 0;
        long churned = 0;
        long payingAtStart = 0;
        List<Long> timesToPql = new ArrayList<>();
        for (AccountSummary account : accounts) {
            if (in(account.firstSeenAt(), start, end)) {
                signups++;
                if (account.qualifiedAt() != NONE) {
                    signupsQualified++;
                }
            }
            if (in(account.qualifiedAt(), start, end)) {
                newPqls++;
                timesToPql.add(account.qualifiedAt() - account.firstSeenAt());
                if (account.convertedAt() != NONE) {
                    newPqlsConverted++;
                }
            }
            if (in(account.convertedAt(), start, end)) {
                conversions++;
                if (account.qualifiedAt() != NONE && account.qualifiedAt() <= account.convertedAt()) {
                    pqlConversions++;
                }
            }
            long closedAt = firstOf(account.convertedAt(), account.lostAt());
            if (in(closedAt, start, end)) {
                closed++;
                if (closedAt == account.convertedAt()) {
                    closedConverted++;
                }
            }
            if (in(account.churnedAt(), start, end)) {
                churned++;
            }
            if (account.convertedAt() != NONE && account.convertedAt() < start
                    && (account.churnedAt() == NONE || account.churnedAt() >= start)) {
                payingAtStart++;
            }
        }
        return new Period(start, end, signups, newPqls, ratio(signupsQualified, signups), conversions, pqlConversions,
                ratio(newPqlsConverted, newPqls), closed, ratio(closedConverted, closed), churned,
                ratio(churned, payingAtStart), percentile(timesToPql, 0.5));
    }

    private static long firstOf(long a, long b) {
        if (a == NONE) {
            return b;
        }
        return b == NONE ? a : Math.min(a, b);
    }

    private static boolean in(long at, long start, long end) {
        return at != NONE && at >= start && at < end;
    }

    /** null when there is nothing to divide by: "no closed trial" is not "none converted". */
    private static Double ratio(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }

    /** Nearest-rank percentile; null for no values. */
    static Long percentile(List<Long> values, double quantile) {
        return values.isEmpty() ? null
                : pql.statistics.Quantiles.nearestRank(values.stream().mapToLong(Long::longValue).toArray(), quantile);
    }
}
