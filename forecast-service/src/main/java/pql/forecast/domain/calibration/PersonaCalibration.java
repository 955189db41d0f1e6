package pql.forecast.domain.calibration;

import pql.statistics.WilsonInterval;
import pql.forecast.domain.Persona;

/**
 * One persona's predicted odds against what its closed trials did.
 *
 * @param observedRate converted / closed; 0 when none closed
 * @param brierScore mean of (predicted - outcome)^2 over its closed trials; 0 when none closed
 * @param suggestedOdds the observed rate shrunk towards the predicted odds (see {@link Calibrator})
 * @param miscalibrated the predicted odds lie outside the interval
 */
public record PersonaCalibration(Persona persona, double predictedOdds, long closedTrials, long converted,
        double observedRate, WilsonInterval interval, double brierScore, double suggestedOdds, boolean miscalibrated) {
}
