package pql.forecast.domain.revenue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.Odds;
import pql.forecast.domain.PersonaMatch;
import pql.forecast.domain.PersonaOdds;
import pql.forecast.domain.currency.CurrencyConversion;
import pql.forecast.domain.currency.Priced;
import pql.forecast.domain.currency.UnconvertedCurrency;

/**
 * Expected revenue = sum over open trials of deal size x odds(persona) (seed 004), grouped by the
 * cross product of the asked dimensions, filtered, with a P10/P50/P90 range per group and in
 * total.
 *
 * <p>Currency: a deal priced in another currency than the query's is converted first
 * ({@link CurrencyConversion}: exact, half-even to the micro); one without a usable rate is left out
 * of every sum and reported per currency with a warning.
 *
 * <p>Money: each trial's deal size x odds is rounded half-even to the micro (the odds taken as the
 * decimal they were written as, see {@link Odds}); group and total expected revenue are sums of
 * those rounded amounts, so an export's lines add up to the forecast exactly. Sums are exact
 * whatever they add up ({@link ExactSum}, 128 bits): a deal may be any long, including those
 * stored before ingest bounded deal sizes, and a forecast is never refused for its size.
 *
 * <p>One pass over the portfolio into flat arrays, then one range per group: 100k trials take a
 * few milliseconds plus the ranges' budget.
 */
public final class ForecastCalculator {

    private final RangeEstimator ranges;
    private final OpenTrialPolicy policy;
    private final long exactBudget;

    /** @param exactBudget merge steps the exact range method may take per request */
    public ForecastCalculator(RangeEstimator ranges, OpenTrialPolicy policy, long exactBudget) {
        this.ranges = ranges;
        this.policy = policy;
        this.exactBudget = exactBudget;
    }

    /** A selector converting with {@code conversion}, whose currency must be the query's. */
    public TrialSelector selector(ForecastQuery query, CurrencyConversion conversion) {
        if (!conversion.reportingCurrency().equals(query.currency())) {
            throw new IllegalArgumentException("conversion into " + conversion.reportingCurrency() + " for a "
                    + query.currency() + " forecast");
        }
        return new TrialSelector(policy, query.filter(), conversion);
    }

    /** Without exchange rates: trials in other currencies are all unconverted. */
    public TrialSelector selector(ForecastQuery query) {
        return selector(query, CurrencyConversion.withoutRates(query.currency()));
    }

    public Forecast compute(List<AccountSnapshot> accounts, PersonaOdds odds, ForecastQuery query) {
        return compute(accounts, odds, query, CurrencyConversion.withoutRates(query.currency()));
    }

    public Forecast compute(List<AccountSnapshot> accounts, PersonaOdds odds, ForecastQuery query,
            CurrencyConversion conversion) {
        TrialSelector selector = selector(query, conversion);
        int capacity = accounts.size();
        long[] deals = new long[capacity];
        double[] probabilities = new double[capacity];
        int[] groupOf = new int[capacity];
        boolean grouped = !query.groupBy().isEmpty();
        Map<GroupKey, Integer> groupIds = new HashMap<>();
        List<GroupKey> keys = new ArrayList<>();
        List<GroupSums> sums = new ArrayList<>();

        int included = 0;
        ExactSum pipeline = new ExactSum();
        ExactSum expected = new ExactSum();
        long otherCurrency = 0;
        long converted = 0;
        Map<String, UnconvertedSums> unconverted = new TreeMap<>();
        long noDealSize = 0;
        long approximate = 0;
        for (AccountSnapshot account : accounts) {
            PersonaMatch match = selector.classify(account);
            switch (selector.verdict(account, match)) {
                case NOT_OPEN, FILTERED_OUT -> {
                    continue;
                }
                case NO_DEAL_SIZE -> {
                    noDealSize++;
                    continue;
                }
                case UNCONVERTED -> {
                    otherCurrency++;
                    Priced deal = selector.price(account);
                    UnconvertedSums left = unconverted.computeIfAbsent(deal.originalCurrency(), c -> new UnconvertedSums());
                    left.trials++;
                    left.pipeline.add(deal.originalMicros());
                    left.reasons.add(deal.reason());
                    continue;
                }
                case INCLUDED -> {
                    // counted below
                }
            }
            Odds personaOdds = odds.of(match.persona());
            Priced priced = selector.price(account);
            if (priced.kind() == Priced.Kind.CONVERTED) {
                converted++;
            }
            long deal = priced.micros();
            long expectedLine = personaOdds.applyTo(deal);
            deals[included] = deal;
            probabilities[included] = personaOdds.value();
            pipeline.add(deal);
            expected.add(expectedLine);
            if (match.approximate()) {
                approximate++;
            }
            if (grouped) {
                GroupKey key = keyOf(query.groupBy(), match, account);
                Integer id = groupIds.get(key);
                if (id == null) {
                    id = keys.size();
                    groupIds.put(key, id);
                    keys.add(key);
                    sums.add(new GroupSums());
                }
                GroupSums group = sums.get(id);
                group.trials++;
                group.pipeline.add(deal);
                group.expected.add(expectedLine);
                groupOf[included] = id;
            }
            included++;
        }

        RangeEstimator.Budget budget = new RangeEstimator.Budget(exactBudget);
        List<ForecastGroup> groups = grouped
                ? groups(keys, sums, groupOf, deals, probabilities, included, query.groupBy(), budget)
                : List.of();
        // after the groups: the total is the largest, least likely to be exact, group
        BigInteger expectedTotal = expected.value();
        RevenueRange totalRange = ranges.estimate(deals, probabilities, included, expectedTotal, budget);
        ForecastGroup total = new ForecastGroup(GroupKey.TOTAL, included, pipeline.value(), expectedTotal, totalRange);
        List<UnconvertedCurrency> unconvertedCurrencies = new ArrayList<>();
        unconverted.forEach((currency, left) -> unconvertedCurrencies.add(new UnconvertedCurrency(currency, left.trials,
                left.pipeline.value(), String.join("; ", left.reasons))));
        return new Forecast(total, groups, otherCurrency, noDealSize, approximate, converted, unconvertedCurrencies,
                conversion.warning(unconvertedCurrencies));
    }

    /** The running totals of one currency's unconverted trials. */
    private static final class UnconvertedSums {
        long trials;
        final ExactSum pipeline = new ExactSum();
        final java.util.Set<String> reasons = new java.util.TreeSet<>();
    }

    /** The running totals of one group. */
    private static final class GroupSums {
        long trials;
        final ExactSum pipeline = new ExactSum();
        final ExactSum expected = new ExactSum();
    }

    private List<ForecastGroup> groups(List<GroupKey> keys, List<GroupSums> sums, int[] groupOf, long[] deals,
            double[] probabilities, int included, List<Dimension> groupBy, RangeEstimator.Budget budget) {
        int groupCount = keys.size();
        // counting sort of the trials by group, so each group's deals are contiguous
        int[] start = new int[groupCount + 1];
        for (int i = 0; i < included; i++) {
            start[groupOf[i] + 1]++;
        }
        for (int g = 0; g < groupCount; g++) {
            start[g + 1] += start[g];
        }
        long[] groupedDeals = new long[included];
        double[] groupedProbabilities = new double[included];
        int[] next = start.clone();
        for (int i = 0; i < included; i++) {
            int slot = next[groupOf[i]]++;
            groupedDeals[slot] = deals[i];
            groupedProbabilities[slot] = probabilities[i];
        }
        // Smaller groups first get the exact method's budget; output in the asked order.
        Integer[] bySize = new Integer[groupCount];
        for (int g = 0; g < groupCount; g++) {
            bySize[g] = g;
        }
        java.util.Comparator<GroupKey> keyOrder = GroupKey.order(groupBy);
        java.util.Arrays.sort(bySize, (a, b) -> {
            int bySizes = Long.compare(sums.get(a).trials, sums.get(b).trials);
            return bySizes != 0 ? bySizes : keyOrder.compare(keys.get(a), keys.get(b));
        });
        ForecastGroup[] results = new ForecastGroup[groupCount];
        long[] scratchDeals = new long[0];
        double[] scratchProbabilities = new double[0];
        for (int g : bySize) {
            int size = start[g + 1] - start[g];
            if (scratchDeals.length < size) {
                scratchDeals = new long[size];
                scratchProbabilities = new double[size];
            }
            System.arraycopy(groupedDeals, start[g], scratchDeals, 0, size);
            System.arraycopy(groupedProbabilities, start[g], scratchProbabilities, 0, size);
            GroupSums group = sums.get(g);
            BigInteger expected = group.expected.value();
            RevenueRange range = ranges.estimate(scratchDeals, scratchProbabilities, size, expected, budget);
            results[g] = new ForecastGroup(keys.get(g), group.trials, group.pipeline.value(), expected, range);
        }
        List<ForecastGroup> ordered = new ArrayList<>(List.of(results));
        ordered.sort(java.util.Comparator.comparing(ForecastGroup::key, keyOrder));
        return ordered;
    }

    static GroupKey keyOf(List<Dimension> groupBy, PersonaMatch match, AccountSnapshot account) {
        pql.forecast.domain.Persona persona = null;
        pql.forecast.domain.OpportunitySize size = null;
        String owner = null;
        String month = null;
        for (Dimension dimension : groupBy) {
            switch (dimension) {
                case PERSONA -> persona = match.persona();
                case OPPORTUNITY_SIZE -> size = account.opportunitySize();
                case OWNER -> owner = account.owner();
                case CLOSE_MONTH -> month = account.closeMonth();
            }
        }
        return new GroupKey(persona, size, owner, month);
    }
}
