package pql.forecast.domain.calibration;

import pql.statistics.WilsonInterval;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.ClosedOutcome;
import pql.forecast.domain.OutcomeKind;
import pql.forecast.domain.Persona;
import pql.forecast.domain.PersonaOdds;

/**
 * Checks the persona odds against reality: for trials that closed (CONVERTED or LOST) in a period,
 * each is classified by the levels it had just before it closed, and each persona's predicted
 * odds are set against its observed conversion rate.
 *
 * <ul>
 *   <li>interval: Wilson score interval of the observed rate at the requested confidence;</li>
 *   <li>Brier score: mean squared difference between the predicted odds and the outcome (1
 *   converted, 0 lost), per persona and over all closed trials;</li>
 *   <li>suggested odds: (converted + k x predicted) / (closed + k), the posterior mean of a Beta
 *   prior centred on the predicted odds and worth k trials (k = the pseudo-count, 20 by default):
 *   a handful of outcomes nudges the odds, hundreds override them;</li>
 *   <li>miscalibrated: the predicted odds lie outside the interval.</li>
 * </ul>
 *
 * <p>CHURNED is left out (it ends a customer, not a trial), and so are closed trials whose levels
 * before closing scoring did not record (classifying them by their levels now would be biased by
 * what happened after they closed).
 */
public final class Calibrator {

    private final double pseudoCount;

    public Calibrator(double pseudoCount) {
        if (!(pseudoCount >= 0)) {
            throw new IllegalArgumentException("pseudo-count must be >= 0, got " + pseudoCount);
        }
        this.pseudoCount = pseudoCount;
    }

    /**
     * @param fromMillis inclusive, null for no lower bound
     * @param toMillis exclusive, null for no upper bound
     */
    public CalibrationReport calibrate(List<AccountSnapshot> accounts, PersonaOdds odds, Long fromMillis, Long toMillis,
            double confidence) {
        EnumMap<Persona, long[]> counts = new EnumMap<>(Persona.class); // closed, converted
        EnumMap<Persona, double[]> squaredErrors = new EnumMap<>(Persona.class);
        for (Persona persona : Persona.values()) {
            counts.put(persona, new long[2]);
            squaredErrors.put(persona, new double[1]);
        }
        for (AccountSnapshot account : accounts) {
            ClosedOutcome outcome = account.outcome();
            if (outcome == null || outcome.kind() == OutcomeKind.CHURNED || outcome.personaBeforeClose() == null) {
                continue;
            }
            if ((fromMillis != null && outcome.atEpochMillis() < fromMillis) || (toMillis != null && outcome.atEpochMillis() >= toMillis)) {
                continue;
            }
            Persona persona = outcome.personaBeforeClose().persona();
            boolean converted = outcome.kind() == OutcomeKind.CONVERTED;
            long[] count = counts.get(persona);
            count[0]++;
            if (converted) {
                count[1]++;
            }
            double error = odds.of(persona).value() - (converted ? 1 : 0);
            squaredErrors.get(persona)[0] += error * error;
        }
        List<PersonaCalibration> personas = new ArrayList<>();
        long closed = 0;
        double squaredErrorSum = 0;
        for (Persona persona : Persona.values()) {
            long n = counts.get(persona)[0];
            long converted = counts.get(persona)[1];
            double predicted = odds.of(persona).value();
            double observed = n == 0 ? 0 : (double) converted / n;
            WilsonInterval interval = WilsonInterval.of(converted, n, confidence);
            double brier = n == 0 ? 0 : squaredErrors.get(persona)[0] / n;
            double suggested = n + pseudoCount == 0 ? predicted : (converted + pseudoCount * predicted) / (n + pseudoCount);
            boolean miscalibrated = n > 0 && !interval.contains(predicted);
            personas.add(new PersonaCalibration(persona, predicted, n, converted, observed, interval, brier, suggested, miscalibrated));
            closed += n;
            squaredErrorSum += squaredErrors.get(persona)[0];
        }
        String method = String.format(Locale.ROOT,
                "closed = CONVERTED or LOST, classified by the levels just before closing; Wilson score interval at %s;"
                        + " suggested odds shrunk towards the predicted odds with a pseudo-count of %s trials",
                trim(confidence), trim(pseudoCount));
        return new CalibrationReport(confidence, personas, closed, closed == 0 ? 0 : squaredErrorSum / closed, method);
    }

    private static String trim(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
