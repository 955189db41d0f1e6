package pql.forecast.grpc;

import static pql.forecast.grpc.ForecastProtos.money;
import static pql.forecast.grpc.ForecastProtos.range;
import static pql.forecast.grpc.ForecastProtos.timestamp;

import java.util.Map;
import pql.forecast.app.Forecasting;
import pql.forecast.domain.Persona;
import pql.forecast.domain.CalendarStep;
import pql.forecast.domain.accuracy.AccuracySummary;
import pql.forecast.domain.accuracy.PeriodAccuracy;
import pql.forecast.domain.accuracy.PeriodResult;
import pql.v1.ForecastAccuracy;
import pql.v1.GetForecastAccuracyRequest;
import pql.v1.PersonaAccuracy;

/** A forecast accuracy review in its wire form. */
final class AccuracyProtos {

    private AccuracyProtos() {
    }

    /** The step on the wire; null for UNSPECIFIED or a number this build does not know. */
    static CalendarStep step(pql.v1.AccuracyStep step) {
        return switch (step) {
            case ACCURACY_STEP_WEEK -> CalendarStep.WEEK;
            case ACCURACY_STEP_MONTH -> CalendarStep.MONTH;
            case ACCURACY_STEP_QUARTER -> CalendarStep.QUARTER;
            default -> null;
        };
    }

    static ForecastAccuracy accuracy(Forecasting.VersionedAccuracy versioned, GetForecastAccuracyRequest request, String currency) {
        ForecastAccuracy.Builder proto = ForecastAccuracy.newBuilder()
                .setDefinitionVersion(versioned.definition().version())
                .setCurrency(currency)
                .setStep(request.getStep())
                .setHindsight(request.getHindsight())
                .setTotal(summary(versioned.report().total(), currency));
        for (PeriodAccuracy period : versioned.report().periods()) {
            proto.addPeriods(period(period, currency));
        }
        for (Map.Entry<Persona, AccuracySummary> persona : versioned.report().personas().entrySet()) {
            proto.addPersonas(PersonaAccuracy.newBuilder()
                    .setPersona(ScoreMapper.toProto(persona.getKey()))
                    .setSummary(summary(persona.getValue(), currency)));
        }
        return proto.build();
    }

    private static pql.v1.PeriodAccuracy period(PeriodAccuracy period, String currency) {
        PeriodResult total = period.total();
        pql.v1.PeriodAccuracy.Builder proto = pql.v1.PeriodAccuracy.newBuilder()
                .setStart(timestamp(period.period().startEpochMillis()))
                .setEnd(timestamp(period.period().endEpochMillis()))
                .setForecastTrials(total.forecastTrials())
                .setForecast(money(total.forecastMicros(), currency))
                .setRange(range(total.range(), currency))
                .setConversions(total.conversions())
                .setActual(money(total.actualMicros(), currency))
                .setError(money(total.errorMicros(), currency))
                .setActualWithinRange(total.actualWithinRange());
        total.absolutePercentageError().ifPresent(error -> proto.setAbsolutePercentageError(error).setPercentageErrorDefined(true));
        return proto.build();
    }

    private static pql.v1.AccuracySummary summary(AccuracySummary summary, String currency) {
        pql.v1.AccuracySummary.Builder proto = pql.v1.AccuracySummary.newBuilder()
                .setPeriods(summary.periods())
                .setForecast(money(summary.forecastMicros(), currency))
                .setActual(money(summary.actualMicros(), currency))
                .setMapePeriods(summary.mapePeriods())
                .setBias(money(summary.biasMicros(), currency))
                .setWithinRange(summary.withinRange())
                .setWithinRangeRate(summary.withinRangeRate())
                .setWithinRangeLow(summary.withinRangeInterval().low())
                .setWithinRangeHigh(summary.withinRangeInterval().high());
        summary.meanAbsolutePercentageError().ifPresent(mape -> proto.setMeanAbsolutePercentageError(mape).setMapeDefined(true));
        return proto.build();
    }
}
