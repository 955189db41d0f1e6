package pql.forecast.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.Persona;
import pql.forecast.domain.PersonaOdds;
import pql.forecast.domain.Plan;

/**
 * The benchmark's baseline: the forecast written the obvious way. Each trial is classified by
 * scanning the persona table, money is BigDecimal, groups are keyed by concatenated strings, and
 * each group's P10/P50/P90 come from a seeded Monte Carlo of 10,000 draws (or, to isolate the
 * rest, from the service's own normal approximation).
 */
final class NaiveForecast {

    static final int DRAWS = 10_000;

    record Group(String key, long trials, BigDecimal pipeline, BigDecimal expected, long[] range) {
    }

    /** @param monteCarlo ranges by 10,000 draws; otherwise by the service's own normal approximation */
    static Map<String, Group> compute(List<AccountSnapshot> accounts, PersonaOdds odds, boolean byPersona, boolean byMonth,
            boolean monteCarlo) {
        Map<String, List<double[]>> members = new HashMap<>();
        Map<String, BigDecimal[]> sums = new HashMap<>();
        for (AccountSnapshot account : accounts) {
            if (account.plan() != Plan.TRIAL || account.outcome() != null || !account.hasDealSize()
                    || !"USD".equals(account.currency())) {
                continue;
            }
            Persona persona = account.persona().persona();
            double p = odds.of(persona).value();
            String key = "total";
            if (byPersona) {
                key = persona.name();
            }
            if (byMonth) {
                key = key + "|" + account.closeMonth();
            }
            BigDecimal deal = BigDecimal.valueOf(account.dealSizeMicros());
            BigDecimal expected = deal.multiply(BigDecimal.valueOf(p)).setScale(0, RoundingMode.HALF_EVEN);
            BigDecimal[] sum = sums.computeIfAbsent(key, k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
            sum[0] = sum[0].add(deal);
            sum[1] = sum[1].add(expected);
            members.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {account.dealSizeMicros(), p});
        }
        Map<String, Group> groups = new TreeMap<>();
        for (Map.Entry<String, List<double[]>> entry : members.entrySet()) {
            BigDecimal[] sum = sums.get(entry.getKey());
            groups.put(entry.getKey(), new Group(entry.getKey(), entry.getValue().size(), sum[0], sum[1],
                    monteCarlo ? monteCarlo(entry.getValue(), 42) : normal(entry.getValue())));
        }
        return groups;
    }

    private static long[] normal(List<double[]> trials) {
        long[] deals = new long[trials.size()];
        double[] odds = new double[trials.size()];
        for (int i = 0; i < deals.length; i++) {
            deals[i] = (long) trials.get(i)[0];
            odds[i] = trials.get(i)[1];
        }
        pql.forecast.domain.revenue.RevenueRange range = new pql.forecast.domain.revenue.RangeEstimator(8192)
                .approximate(deals, odds, deals.length);
        return new long[] {range.p10().longValueExact(), range.p50().longValueExact(), range.p90().longValueExact()};
    }

    private static long[] monteCarlo(List<double[]> trials, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] totals = new double[DRAWS];
        for (int draw = 0; draw < DRAWS; draw++) {
            double total = 0;
            for (double[] trial : trials) {
                if (random.nextDouble() < trial[1]) {
                    total += trial[0];
                }
            }
            totals[draw] = total;
        }
        java.util.Arrays.sort(totals);
        return new long[] {(long) totals[DRAWS / 10], (long) totals[DRAWS / 2], (long) totals[DRAWS * 9 / 10]};
    }

    private NaiveForecast() {
    }
}
