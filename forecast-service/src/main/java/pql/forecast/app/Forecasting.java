package pql.forecast.app;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.ClosedOutcome;
import pql.forecast.domain.Explanation;
import pql.forecast.domain.Odds;
import pql.forecast.domain.PersonaExplainer;
import pql.forecast.domain.PersonaMatch;
import pql.forecast.domain.accuracy.AccuracyReport;
import pql.forecast.domain.accuracy.ForecastAccuracy;
import pql.forecast.domain.accuracy.Period;
import pql.forecast.domain.accuracy.PeriodAccuracy;
import pql.forecast.domain.Plan;
import pql.forecast.domain.calibration.CalibrationReport;
import pql.forecast.domain.currency.CurrencyConversion;
import pql.forecast.domain.calibration.Calibrator;
import pql.forecast.domain.revenue.AccountChange;
import pql.forecast.domain.revenue.Forecast;
import pql.forecast.domain.revenue.ForecastCalculator;
import pql.forecast.domain.revenue.ForecastComparison;
import pql.forecast.domain.revenue.ForecastFilter;
import pql.forecast.domain.revenue.ForecastLine;
import pql.forecast.domain.revenue.ForecastLines;
import pql.forecast.domain.revenue.ForecastQuery;
import pql.forecast.domain.revenue.ForecastWaterfall;
import pql.forecast.domain.revenue.OpenTrialPolicy;
import pql.forecast.domain.revenue.RangeEstimator;
import pql.forecast.domain.revenue.TrialSelector;

/**
 * The forecast's use cases: scores from scoring-service (cached per version, or replayed as of an
 * instant), odds from the definition version, exchange rates (every one recorded, cached), and the
 * domain doing the arithmetic.
 */
public final class Forecasting {

    private static final int SETTLED_POINTS_KEPT = 4096;

    private final ScoresSource source;
    private final PortfolioCache cache;
    private final ExchangeRateCache rates;
    private final PersonaExplainer explainer = new PersonaExplainer();
    private final ForecastCalculator calculator;
    private final Calibrator calibrator;
    private final ForecastAccuracy accuracy;
    /** Published versions never change, so their odds are kept; 0 (the active one) is asked each time. */
    private final ConcurrentHashMap<Integer, DefinitionOdds> definitions = new ConcurrentHashMap<>();
    /** History points of settled instants (they never change), the most recently used kept. */
    private final Map<HistoryKey, VersionedForecast> settledPoints = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<HistoryKey, VersionedForecast> eldest) {
                    return size() > SETTLED_POINTS_KEPT;
                }
            });

    public record Settings(boolean includeFreemium, int maxDistinctSums, long exactRangeBudget, double calibrationPseudoCount) {
    }

    public Forecasting(ScoresSource source, PortfolioCache cache, ExchangeRateCache rates, Settings settings) {
        this.source = source;
        this.cache = cache;
        this.rates = rates;
        this.calculator = new ForecastCalculator(new RangeEstimator(settings.maxDistinctSums()),
                new OpenTrialPolicy(settings.includeFreemium()), settings.exactRangeBudget());
        this.calibrator = new Calibrator(settings.calibrationPseudoCount());
        this.accuracy = new ForecastAccuracy(calculator);
    }

    /** A forecast with the version and the instant it describes, and what it knew (known_at, log position). */
    public record VersionedForecast(DefinitionOdds definition, Instant asOf, Forecast forecast, Knowledge knowledge) {
    }

    /** Lines of one export, all of one instant and knowledge (each line carries them). */
    public record LineExport(DefinitionOdds definition, Iterator<ForecastLine> lines, Instant asOf, Knowledge knowledge) {
    }

    public record AccountClassification(AccountSnapshot account, PersonaMatch match, Odds odds, Explanation explanation,
            DefinitionOdds definition) {
    }

    public record VersionedCalibration(DefinitionOdds definition, CalibrationReport report, Instant asOf,
            Knowledge knowledge) {
    }

    public record VersionedAccuracy(DefinitionOdds definition, AccuracyReport report) {
    }

    public record Comparison(VersionedForecast baseline, VersionedForecast candidate, List<AccountChange> changes) {
    }

    public DefinitionOdds definition(int version) {
        if (version != 0) {
            DefinitionOdds known = definitions.get(version);
            if (known != null) {
                return known;
            }
        }
        DefinitionOdds resolved = source.definition(version);
        definitions.putIfAbsent(resolved.version(), resolved);
        return resolved;
    }

    public VersionedForecast forecast(int version, Long asOfEpochMillis, ForecastQuery query) {
        return forecast(version, asOfEpochMillis, null, query);
    }

    /** @param knownAtEpochMillis only events recorded at or before it count (null: everything recorded so far) */
    public VersionedForecast forecast(int version, Long asOfEpochMillis, Long knownAtEpochMillis, ForecastQuery query) {
        DefinitionOdds definition = definition(version);
        Portfolio portfolio = portfolio(definition.version(), asOfEpochMillis, knownAtEpochMillis);
        return forecast(definition, portfolio, knownAtEpochMillis, query);
    }

    private VersionedForecast forecast(DefinitionOdds definition, Portfolio portfolio, Long knownAtEpochMillis,
            ForecastQuery query) {
        Forecast forecast = calculator.compute(portfolio.accounts(), definition.odds(), query,
                conversion(query.currency(), portfolio, knownAtEpochMillis));
        return new VersionedForecast(definition, Instant.ofEpochMilli(portfolio.asOfMillis()), forecast,
                Knowledge.of(knownAtEpochMillis, portfolio));
    }

    public LineExport lines(int version, Long asOfEpochMillis, ForecastFilter filter, String currency) {
        return lines(version, asOfEpochMillis, null, filter, currency);
    }

    public LineExport lines(int version, Long asOfEpochMillis, Long knownAtEpochMillis, ForecastFilter filter,
            String currency) {
        DefinitionOdds definition = definition(version);
        Portfolio portfolio = portfolio(definition.version(), asOfEpochMillis, knownAtEpochMillis);
        ForecastQuery query = new ForecastQuery(List.of(), filter, currency);
        TrialSelector selector = calculator.selector(query, conversion(currency, portfolio, knownAtEpochMillis));
        return new LineExport(definition, new ForecastLines(portfolio.accounts(), selector, definition.odds(), true),
                Instant.ofEpochMilli(portfolio.asOfMillis()), Knowledge.of(knownAtEpochMillis, portfolio));
    }

    /** The explanation of one line of an export: rule and text (built when the line is sent, not kept). */
    public Explanation explain(ForecastLine line, DefinitionOdds definition) {
        return new Explanation(line.match().kind().rule(), explainer.text(line.match(), line.odds(),
                definition.oddsSource(line.match().persona()), line.account().evidence(), null), List.of());
    }

    /**
     * One account's persona. A closed trial is classified by its levels just before it closed
     * (what calibration judges); any other account by its levels now.
     */
    public AccountClassification classify(String accountId, int version, Long asOfEpochMillis) {
        DefinitionOdds definition = definition(version);
        AccountSnapshot account = source.account(accountId, definition.version(), asOfEpochMillis);
        ClosedOutcome outcome = account.outcome();
        PersonaMatch match;
        Explanation explanation;
        if (outcome != null && outcome.personaBeforeClose() != null) {
            match = outcome.personaBeforeClose();
            String context = "just before the trial closed (" + outcome.kind() + " " + Instant.ofEpochMilli(outcome.atEpochMillis()) + ")";
            explanation = explainer.explain(match, definition.odds().of(match.persona()),
                    definition.oddsSource(match.persona()), null, context);
        } else {
            match = account.persona();
            String context = account.plan() == Plan.TRIAL && outcome == null ? null
                    : "now (not an open trial: plan " + account.plan() + (outcome != null ? ", " + outcome.kind() : "") + ")";
            explanation = explainer.explain(match, definition.odds().of(match.persona()),
                    definition.oddsSource(match.persona()), account.evidence(), context);
        }
        return new AccountClassification(account, match, definition.odds().of(match.persona()), explanation, definition);
    }

    /** Calibration over the current scores (outcomes carry the levels they closed with). */
    public VersionedCalibration calibrate(int version, Long fromEpochMillis, Long toEpochMillis, double confidence) {
        return calibrate(version, fromEpochMillis, toEpochMillis, confidence, null);
    }

    /** ... over the scores as known at {@code knownAtEpochMillis} (null: the current ones). */
    public VersionedCalibration calibrate(int version, Long fromEpochMillis, Long toEpochMillis, double confidence,
            Long knownAtEpochMillis) {
        DefinitionOdds definition = definition(version);
        Portfolio portfolio = portfolio(definition.version(), null, knownAtEpochMillis);
        return new VersionedCalibration(definition,
                calibrator.calibrate(portfolio.accounts(), definition.odds(), fromEpochMillis, toEpochMillis, confidence),
                Instant.ofEpochMilli(portfolio.asOfMillis()), Knowledge.of(knownAtEpochMillis, portfolio));
    }

    public Comparison compare(int baselineVersion, int candidateVersion, Long asOfEpochMillis, ForecastFilter filter, String currency) {
        return compare(baselineVersion, candidateVersion, asOfEpochMillis, null, filter, currency);
    }

    public Comparison compare(int baselineVersion, int candidateVersion, Long asOfEpochMillis, Long knownAtEpochMillis,
            ForecastFilter filter, String currency) {
        DefinitionOdds baseline = definition(baselineVersion);
        DefinitionOdds candidate = definition(candidateVersion);
        Portfolio before = portfolio(baseline.version(), asOfEpochMillis, knownAtEpochMillis);
        Portfolio after = baseline.version() == candidate.version() ? before
                : portfolio(candidate.version(), asOfEpochMillis, knownAtEpochMillis);
        ForecastQuery query = new ForecastQuery(List.of(), filter, currency);
        List<AccountChange> changes = ForecastComparison.changes(before.accounts(), baseline.odds(), after.accounts(),
                candidate.odds(), calculator.selector(query, conversion(currency, before, knownAtEpochMillis)));
        return new Comparison(forecast(baseline, before, knownAtEpochMillis, query),
                forecast(candidate, after, knownAtEpochMillis, query), changes);
    }

    /** Two forecasts, each as known at its instant, and what moved expected revenue from one to the other. */
    public record Waterfall(VersionedForecast start, VersionedForecast end, ForecastWaterfall.Result movements) {
    }

    /**
     * The forecast at each instant as known at that instant (totals only). A point whose instant is
     * before {@code settledBefore} can never change (nothing recorded later is known to it), so it
     * is computed once and kept.
     */
    public List<VersionedForecast> history(int version, List<Long> instants, ForecastFilter filter, String currency,
            long settledBefore) {
        DefinitionOdds definition = definition(version);
        ForecastQuery query = new ForecastQuery(List.of(), filter, currency);
        List<VersionedForecast> points = new ArrayList<>(instants.size());
        for (long instant : instants) {
            HistoryKey key = new HistoryKey(definition.version(), instant, query);
            VersionedForecast point = settledPoints.get(key);
            if (point == null) {
                point = forecast(definition, portfolio(definition.version(), instant, instant), instant, query);
                if (instant < settledBefore) {
                    settledPoints.put(key, point);
                }
            }
            points.add(point);
        }
        return points;
    }

    /** The forecasts at {@code from} and {@code to}, each as known then, and the movements between them. */
    public Waterfall waterfall(int fromVersion, int toVersion, long from, long to, ForecastFilter filter, String currency,
            int accountsPerStep) {
        DefinitionOdds before = definition(fromVersion);
        DefinitionOdds after = definition(toVersion);
        Portfolio first = portfolio(before.version(), from, from);
        Portfolio second = portfolio(after.version(), to, to);
        ForecastQuery query = new ForecastQuery(List.of(), filter, currency);
        // each end in the reporting currency at the rates of its own instant, as known then
        ForecastWaterfall.Result movements = ForecastWaterfall.between(
                first.accounts(), before.odds(), calculator.selector(query, conversion(currency, first, from)),
                second.accounts(), after.odds(), calculator.selector(query, conversion(currency, second, to)), accountsPerStep);
        return new Waterfall(forecast(before, first, from, query), forecast(after, second, to, query), movements);
    }

    private record HistoryKey(int version, long instant, ForecastQuery query) {
    }

    /**
     * Each period's forecast as it was known at its start (scoring replays the events recorded by then,
     * evaluated at that instant) against the conversions on record now. One replay per period.
     *
     * @param hindsight count the events recorded after a period's start too (dated before it): what today's
     *     records forecast for that instant rather than what was forecast then
     */
    public VersionedAccuracy accuracy(int version, List<Period> periods, String currency, boolean hindsight) {
        DefinitionOdds definition = definition(version);
        Portfolio latest = cache.current(definition.version());
        List<PeriodAccuracy> judged = new ArrayList<>(periods.size());
        for (Period period : periods) {
            Portfolio atStart = hindsight ? cache.asOf(definition.version(), period.startEpochMillis())
                    : cache.known(definition.version(), period.startEpochMillis(), period.startEpochMillis());
            judged.add(accuracy.judge(period, atStart.accounts(), latest.accounts(), definition.odds(), currency));
        }
        return new VersionedAccuracy(definition, ForecastAccuracy.report(judged));
    }

    /** Loads the active version's portfolio ahead of the first request. */
    public void warm() {
        cache.current(definition(0).version());
    }

    /** Into the reporting currency with the rates of the portfolio's evaluation instant, as known at knownAt. */
    private CurrencyConversion conversion(String currency, Portfolio portfolio, Long knownAtEpochMillis) {
        return rates.current().into(currency, Instant.ofEpochMilli(portfolio.asOfMillis()), knownAtEpochMillis);
    }

    private Portfolio portfolio(int version, Long asOfEpochMillis, Long knownAtEpochMillis) {
        if (knownAtEpochMillis != null) {
            return cache.known(version, asOfEpochMillis, knownAtEpochMillis); // never the current portfolio
        }
        return asOfEpochMillis == null ? cache.current(version) : cache.asOf(version, asOfEpochMillis);
    }
}
