package pql.forecast.domain.revenue;

import static org.assertj.core.api.Assertions.assertThat;
import static pql.forecast.domain.Trials.trial;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.Odds;
import pql.forecast.domain.Persona;
import pql.forecast.support.SeedOdds;

/**
 * Issue #13: the forecast's sums, products and ranges over extreme deal sizes. Every deal size a
 * snapshot can carry (0 .. Long.MAX_VALUE micros: ingest bounds new deals to 10^18, but older
 * events keep what they were stored with) gives a forecast, never an exception, with totals equal
 * to the exact sums and ranges ordered, containing the mean and within the possible revenue.
 */
class ExtremeMoneyPropertiesTest {

    private static final long LIMIT = 1_000_000_000_000_000_000L;

    private final ForecastCalculator calculator = new ForecastCalculator(new RangeEstimator(8192),
            OpenTrialPolicy.TRIALS_ONLY, 20_000_000);

    /** Deal sizes in micros, weighted towards the edges: 0, 1, the ingest limit, Long.MAX_VALUE and their neighbours. */
    @Provide
    Arbitrary<Long> deals() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of(0L, 1L, 10_000L, LIMIT - 1, LIMIT, LIMIT + 1, Long.MAX_VALUE / 2,
                        Long.MAX_VALUE - 1, Long.MAX_VALUE)),
                net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(0, Long.MAX_VALUE)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(0, LIMIT)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(0, 5_000).map(thousands -> thousands * 1_000_000_000L)));
    }

    @Provide
    Arbitrary<List<AccountSnapshot>> portfolios() {
        Arbitrary<AccountSnapshot> trial = Combinators.combine(deals(), Arbitraries.of(Persona.class), Arbitraries.of("ann", "bob"),
                        Arbitraries.strings().alpha().ofLength(6))
                .as((deal, persona, owner, id) -> trial(id).persona(persona).owner(owner).dealMicros(deal).build());
        return trial.list().ofMinSize(0).ofMaxSize(40);
    }

    @Property(tries = 300)
    void anExactSumIsTheBigIntegerSumOfAnyLongs(@ForAll @Size(max = 64) List<Long> values) {
        ExactSum sum = new ExactSum();
        BigInteger expected = BigInteger.ZERO;
        for (long value : values) {
            sum.add(value);
            expected = expected.add(BigInteger.valueOf(value));
        }
        assertThat(sum.value()).isEqualTo(expected);
    }

    @Property(tries = 300)
    void totalsAreTheExactSumsAndGroupsAddUpToThem(@ForAll("portfolios") List<AccountSnapshot> portfolio) {
        Forecast forecast = calculator.compute(portfolio, SeedOdds.seed(),
                new ForecastQuery(List.of(Dimension.PERSONA, Dimension.OWNER), ForecastFilter.ALL, "USD"));

        BigInteger pipeline = BigInteger.ZERO;
        BigInteger expected = BigInteger.ZERO;
        for (AccountSnapshot account : portfolio) {
            Odds odds = SeedOdds.seed().of(account.persona().persona());
            pipeline = pipeline.add(BigInteger.valueOf(account.dealSizeMicros()));
            expected = expected.add(BigInteger.valueOf(odds.applyTo(account.dealSizeMicros())));
        }
        assertThat(forecast.total().openTrials()).isEqualTo(portfolio.size());
        assertThat(forecast.total().pipelineMicros()).isEqualTo(pipeline);
        assertThat(forecast.total().expectedMicros()).isEqualTo(expected);
        assertThat(forecast.groups().stream().map(ForecastGroup::pipelineMicros).reduce(BigInteger.ZERO, BigInteger::add))
                .isEqualTo(pipeline);
        assertThat(forecast.groups().stream().map(ForecastGroup::expectedMicros).reduce(BigInteger.ZERO, BigInteger::add))
                .isEqualTo(expected);
        List<ForecastGroup> every = new ArrayList<>(forecast.groups());
        every.add(forecast.total());
        for (ForecastGroup group : every) {
            RevenueRange range = group.range();
            assertThat(range.contains(group.expectedMicros())).as("%s contains %s", range, group.expectedMicros()).isTrue();
            assertThat(range.p10().signum()).isGreaterThanOrEqualTo(0);
            assertThat(range.p90()).isLessThanOrEqualTo(group.pipelineMicros());
        }
    }

    @Property(tries = 300)
    void smallGroupsOfAnySizeAreExactlyTheBruteForceQuantiles(@ForAll @Size(min = 1, max = 8) List<@From("deals") Long> deals,
            @ForAll("seedOdds") double odds) {
        long[] values = deals.stream().mapToLong(Long::longValue).toArray();
        double[] chances = new double[values.length];
        java.util.Arrays.fill(chances, odds);
        BigInteger mean = BigInteger.ZERO;
        for (long deal : values) {
            mean = mean.add(BigInteger.valueOf(Odds.of(odds).applyTo(deal)));
        }

        RevenueRange range = new RangeEstimator(8192).estimate(values, chances, values.length, mean, new RangeEstimator.Budget(0));

        assertThat(range.method()).startsWith("exact");
        BigInteger[] brute = bruteForce(values, chances, 0.10, 0.50, 0.90);
        assertThat(range.p50()).isEqualTo(brute[1]);
        assertThat(range.p10()).isEqualTo(brute[0].min(mean));
        assertThat(range.p90()).isEqualTo(brute[2].max(mean));
    }

    @Provide
    Arbitrary<Double> seedOdds() {
        return Arbitraries.of(0.0, 0.05, 0.1, 0.3, 0.6, 0.75, 0.9, 1.0);
    }

    @Example
    void tenMillionTrialsAtTheLimitGiveTheExactForecast() {
        // one snapshot, ten million times: the calculator does all the work, the list costs nothing
        AccountSnapshot atTheLimit = trial("big").persona(Persona.GOLDEN_LEAD).dealMicros(LIMIT).build();
        List<AccountSnapshot> portfolio = Collections.nCopies(10_000_000, atTheLimit);

        Forecast forecast = calculator.compute(portfolio, SeedOdds.seed(), ForecastQuery.totals("USD"));

        BigInteger trials = BigInteger.valueOf(10_000_000);
        BigInteger pipeline = BigInteger.valueOf(LIMIT).multiply(trials); // 10^25 micros, past a long by 10^6 times
        assertThat(forecast.total().pipelineMicros()).isEqualTo(pipeline);
        assertThat(forecast.total().expectedMicros()).isEqualTo(BigInteger.valueOf(900_000_000_000_000_000L).multiply(trials));
        RevenueRange range = forecast.total().range();
        assertThat(range.contains(forecast.total().expectedMicros())).isTrue();
        assertThat(range.p90()).isLessThanOrEqualTo(pipeline);
        // 10^7 Golden Leads: mean 9 x 10^24, sigma = 10^18 x sqrt(10^7 x 0.09) ~ 9.5 x 10^20
        assertThat(range.p50().subtract(forecast.total().expectedMicros()).abs())
                .isLessThan(BigInteger.valueOf(10).pow(21));
    }

    /** The lower quantiles by every outcome, in big integers. */
    private static BigInteger[] bruteForce(long[] deals, double[] odds, double... levels) {
        int outcomes = 1 << deals.length;
        List<Object[]> all = new ArrayList<>();
        for (int mask = 0; mask < outcomes; mask++) {
            BigInteger sum = BigInteger.ZERO;
            double probability = 1;
            for (int i = 0; i < deals.length; i++) {
                boolean converts = (mask & (1 << i)) != 0;
                sum = converts ? sum.add(BigInteger.valueOf(deals[i])) : sum;
                probability *= converts ? odds[i] : 1 - odds[i];
            }
            all.add(new Object[] {sum, probability});
        }
        all.sort((a, b) -> ((BigInteger) a[0]).compareTo((BigInteger) b[0]));
        BigInteger[] quantiles = new BigInteger[levels.length];
        for (int q = 0; q < levels.length; q++) {
            double cumulative = 0;
            for (int i = 0; i < all.size() && quantiles[q] == null; i++) {
                cumulative += (double) all.get(i)[1];
                boolean lastOfValue = i + 1 == all.size() || !all.get(i + 1)[0].equals(all.get(i)[0]);
                if (lastOfValue && cumulative >= levels[q] - 1e-9) {
                    quantiles[q] = (BigInteger) all.get(i)[0];
                }
            }
            if (quantiles[q] == null) {
                quantiles[q] = (BigInteger) all.get(all.size() - 1)[0];
            }
        }
        return quantiles;
    }
}
