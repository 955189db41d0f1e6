package pql.cli;

import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import pql.v1.Calibration;
import pql.v1.GetCalibrationRequest;
import pql.v1.PersonaCalibration;
import pql.v1.PersonaOdds;
import pql.v1.ScoringDefinition;

/**
 * {@code pql definitions publish} warns (never fails) when a persona's new odds lie outside the interval
 * of conversion that closed trials show (forecast's calibration of the active version).
 *
 * <p>Why here and not in PublishDefinitionResponse.warnings: publishing is scoring's, calibration is
 * forecast's, and forecast depends on scoring, never the reverse. The CLI talks to both through the
 * gateway, so the check lives with the client; a caller of the API can ask GetCalibration the same way.
 */
final class OddsCalibrationCheck {

    private OddsCalibrationCheck() {
    }

    /** "warning: persona_odds[golden_lead]: ..." lines; a note on {@code err} when calibration cannot be read. */
    static List<String> warnings(GatewayClient client, ScoringDefinition definition, PrintWriter err) {
        if (definition.getPersonaOddsCount() == 0) {
            return List.of();
        }
        Calibration calibration;
        try {
            calibration = client.forecast().getCalibration(GetCalibrationRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            err.println("note: odds not checked against closed trials (calibration: " + e.getStatus().getCode()
                    + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription()) + ")");
            err.flush();
            return List.of();
        }
        return warnings(definition, calibration);
    }

    static List<String> warnings(ScoringDefinition definition, Calibration calibration) {
        List<String> warnings = new ArrayList<>();
        for (PersonaOdds odds : definition.getPersonaOddsList()) {
            for (PersonaCalibration observed : calibration.getPersonasList()) {
                if (observed.getPersona() != odds.getPersona() || observed.getClosedTrials() == 0) {
                    continue;
                }
                if (odds.getOdds() < observed.getIntervalLow() || odds.getOdds() > observed.getIntervalHigh()) {
                    warnings.add(String.format(Locale.ROOT,
                            "warning: persona_odds[%s]: %s is outside what closed trials show (%,d of %,d converted, %s interval"
                                    + " %s..%s); calibration suggests %s",
                            Formats.enumName(odds.getPersona(), "PERSONA_"), Formats.percent(odds.getOdds()), observed.getConverted(),
                            observed.getClosedTrials(), Formats.percent(calibration.getConfidence() == 0 ? 0.95 : calibration.getConfidence()),
                            Formats.percent(observed.getIntervalLow()), Formats.percent(observed.getIntervalHigh()),
                            Formats.percent(observed.getSuggestedOdds())));
                }
            }
        }
        return warnings;
    }
}
