package pql.forecast.domain.calibration;

import java.util.List;

/** Every persona's calibration (all seven, in the seed's order), and the overall Brier score. */
public record CalibrationReport(double confidence, List<PersonaCalibration> personas, long closedTrials, double brierScore,
        String method) {

    public CalibrationReport {
        personas = List.copyOf(personas);
    }
}
