package pql.forecast.domain.accuracy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.ClosedOutcome;
import pql.forecast.domain.OutcomeKind;
import pql.forecast.domain.Persona;
import pql.forecast.domain.PersonaMatch;
import pql.forecast.domain.PersonaOdds;
import pql.forecast.domain.revenue.Dimension;
import pql.forecast.domain.revenue.ExactSum;
import pql.forecast.domain.revenue.Forecast;
import pql.forecast.domain.revenue.ForecastCalculator;
import pql.forecast.domain.revenue.ForecastFilter;
import pql.forecast.domain.revenue.ForecastGroup;
import pql.forecast.domain.revenue.ForecastQuery;
import pql.forecast.domain.revenue.RevenueRange;
import pql.forecast.domain.revenue.TrialSelector;

/**
 * How a past forecast held up. For one period: the forecast as known at its start, of the open trials
 * whose trial end falls in the period (the revenue expected to close in it), made by the same
 * {@link ForecastCalculator} as any forecast (so the same money rounding and P10-P90 range), against the
 * conversions recorded in the period with their contract amounts, whether or not they were forecast
 * (a trial that started later or converted early is revenue the forecast missed).
 *
 * <p>Per persona, a conversion counts for the persona the forecast at the period's start gave the
 * trial; a trial that was not an open trial then counts for its persona just before it closed (the
 * one calibration judges), else its current one.
 */
public final class ForecastAccuracy {

    private static final RevenueRange NOTHING = new RevenueRange(0, 0, 0, "exact (no trial forecast)");

    private final ForecastCalculator calculator;

    public ForecastAccuracy(ForecastCalculator calculator) {
        this.calculator = calculator;
    }

    /**
     * @param knownAtStart every account as known and evaluated at the period's start
     * @param latest every account as known now (for the outcomes recorded in the period)
     */
    public PeriodAccuracy judge(Period period, List<AccountSnapshot> knownAtStart, List<AccountSnapshot> latest,
            PersonaOdds odds, String currency) {
        ForecastQuery query = new ForecastQuery(List.of(Dimension.PERSONA), ForecastFilter.ALL, currency);
        TrialSelector selector = calculator.selector(query);
        List<AccountSnapshot> closingInPeriod = new ArrayList<>();
        Map<String, Persona> personaAtStart = new HashMap<>();
        for (AccountSnapshot account : knownAtStart) {
            PersonaMatch match = selector.classify(account);
            if (selector.verdict(account, match) == TrialSelector.Verdict.NOT_OPEN) {
                continue;
            }
            personaAtStart.put(account.accountId(), match.persona());
            if (account.trialEndEpochMillis() != null && period.contains(account.trialEndEpochMillis())) {
                closingInPeriod.add(account);
            }
        }
        Forecast forecast = calculator.compute(closingInPeriod, odds, query);

        Map<Persona, ExactSum> actualByPersona = new EnumMap<>(Persona.class);
        Map<Persona, Long> conversionsByPersona = new EnumMap<>(Persona.class);
        ExactSum actual = new ExactSum();
        long conversions = 0;
        for (AccountSnapshot account : latest) {
            ClosedOutcome outcome = account.outcome();
            if (outcome == null || outcome.kind() != OutcomeKind.CONVERTED || !period.contains(outcome.atEpochMillis())
                    || !currency.equals(outcome.amountCurrency())) {
                continue;
            }
            Persona persona = personaAtStart.getOrDefault(account.accountId(),
                    outcome.personaBeforeClose() != null ? outcome.personaBeforeClose().persona() : account.persona().persona());
            actual.add(outcome.amountMicros());
            actualByPersona.computeIfAbsent(persona, p -> new ExactSum()).add(outcome.amountMicros());
            conversionsByPersona.merge(persona, 1L, Long::sum);
            conversions++;
        }

        PeriodResult total = new PeriodResult(forecast.total().openTrials(), forecast.total().expectedMicros(),
                forecast.total().range(), conversions, actual.value());
        Map<Persona, PeriodResult> personas = new EnumMap<>(Persona.class);
        for (Persona persona : Persona.values()) {
            ForecastGroup group = forecast.groups().stream().filter(g -> g.key().persona() == persona).findFirst().orElse(null);
            ExactSum converted = actualByPersona.get(persona);
            PeriodResult result = new PeriodResult(group == null ? 0 : group.openTrials(),
                    group == null ? BigInteger.ZERO : group.expectedMicros(), group == null ? NOTHING : group.range(),
                    conversionsByPersona.getOrDefault(persona, 0L), converted == null ? BigInteger.ZERO : converted.value());
            if (!result.isEmpty()) {
                personas.put(persona, result);
            }
        }
        return new PeriodAccuracy(period, total, personas);
    }

    /**
     * The summaries over the periods with something to judge: a trial forecast or a conversion. A period with
     * neither (before any trial, say) would count as a hit (0 inside [0, 0]) and flatter the coverage.
     */
    public static AccuracyReport report(List<PeriodAccuracy> periods) {
        Map<Persona, AccuracySummary> personas = new EnumMap<>(Persona.class);
        for (Persona persona : Persona.values()) {
            List<PeriodResult> results = periods.stream().map(p -> p.personas().get(persona)).filter(r -> r != null).toList();
            if (!results.isEmpty()) {
                personas.put(persona, AccuracySummary.of(results));
            }
        }
        return new AccuracyReport(periods, AccuracySummary.of(periods.stream().map(PeriodAccuracy::total)
                .filter(total -> !total.isEmpty()).toList()), personas);
    }
}
