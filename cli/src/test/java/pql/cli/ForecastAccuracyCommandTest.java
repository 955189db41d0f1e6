package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Timestamps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import pql.v1.AccuracyStep;
import pql.v1.GetForecastAccuracyRequest;

/** {@code pql forecast accuracy}: the range and step as asked of the gateway, the table, CSV and JSON, bad arguments. */
class ForecastAccuracyCommandTest {

    @RegisterExtension
    final FakeGateway gateway = new FakeGateway();

    @Test
    void asksForTheRangeAndStepAndPrintsEachPeriodThenTheSummaries() {
        FakeGateway.Run run = gateway.pql("forecast", "accuracy", "--from", "2025-02-01", "--to", "2025-04-01", "--step", "month");

        assertThat(run.exitCode()).as(run.err()).isZero();
        GetForecastAccuracyRequest request = gateway.last("GetForecastAccuracy", GetForecastAccuracyRequest.class);
        assertThat(request.getFrom()).isEqualTo(Timestamps.parseUnchecked("2025-02-01T00:00:00Z"));
        assertThat(request.getTo()).isEqualTo(Timestamps.parseUnchecked("2025-04-01T00:00:00Z"));
        assertThat(request.getStep()).isEqualTo(AccuracyStep.ACCURACY_STEP_MONTH);
        assertThat(FakeGateway.lines(run.out()).get(0)).matches("START +END +TRIALS +FORECAST +P10 +P90 +WON +ACTUAL +ERROR +APE +IN RANGE");
        assertThat(FakeGateway.lines(run.out()).get(1)).matches(
                "2025-02-01 +2025-03-01 +1 +2,700 USD +0 USD +3,000 USD +1 +3,000 USD +-300 USD +10% +yes");
        assertThat(FakeGateway.lines(run.out()).get(2)).as("nothing converted: no percentage").contains(" n/a ").endsWith("no");
        assertThat(run.out()).contains("all periods: MAPE 10% over 1 periods with conversions, bias -150 USD a period, "
                + "actual inside P10-P90 in 2 of 2 periods (100%, 95% interval 34%-100%)")
                .containsPattern("golden_lead +1 +2,700 USD +3,000 USD +10% +-300 USD +1 of 1");
    }

    @Test
    void weeksAndQuartersAndTheDefaultMonth() {
        gateway.pql("forecast", "accuracy", "--from", "2025-01-01", "--to", "2025-04-01", "--step", "week");
        assertThat(gateway.last("GetForecastAccuracy", GetForecastAccuracyRequest.class).getStep()).isEqualTo(AccuracyStep.ACCURACY_STEP_WEEK);
        gateway.pql("forecast", "accuracy", "--from", "2025-01-01", "--to", "2025-04-01", "--step", "QUARTER");
        assertThat(gateway.last("GetForecastAccuracy", GetForecastAccuracyRequest.class).getStep())
                .isEqualTo(AccuracyStep.ACCURACY_STEP_QUARTER);
        gateway.pql("forecast", "accuracy", "--from", "2025-01-01", "--to", "2025-04-01");
        assertThat(gateway.last("GetForecastAccuracy", GetForecastAccuracyRequest.class).getStep()).isEqualTo(AccuracyStep.ACCURACY_STEP_MONTH);
    }

    @Test
    void hindsightIsSentWhenAskedAndTheFooterSaysWhichForecastsWereJudged() {
        FakeGateway.Run strict = gateway.pql("forecast", "accuracy", "--from", "2025-02-01", "--to", "2025-04-01");
        assertThat(gateway.last("GetForecastAccuracy", GetForecastAccuracyRequest.class).getHindsight()).isFalse();
        assertThat(strict.out()).contains("definition v1, each forecast as known at its period's start");

        gateway.pql("forecast", "accuracy", "--from", "2025-02-01", "--to", "2025-04-01", "--hindsight");
        assertThat(gateway.last("GetForecastAccuracy", GetForecastAccuracyRequest.class).getHindsight()).isTrue();
    }

    @Test
    void csvHasOneLinePerPeriodInCurrencyUnits() {
        FakeGateway.Run run = gateway.pql("forecast", "accuracy", "--from", "2025-02-01", "--to", "2025-04-01", "--csv");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().split("\r\n")).containsExactly(
                "start,end,currency,forecast_trials,forecast,p10,p50,p90,conversions,actual,error,absolute_percentage_error,"
                        + "actual_within_range,definition_version",
                "2025-02-01T00:00:00Z,2025-03-01T00:00:00Z,USD,1,2700.00,0.00,3000.00,3000.00,1,3000.00,-300.00,0.1,true,1",
                "2025-03-01T00:00:00Z,2025-04-01T00:00:00Z,USD,0,0.00,0.00,0.00,0.00,0,0.00,0.00,,false,1");
    }

    @Test
    void jsonIsTheApisAnswer() {
        FakeGateway.Run run = gateway.pql("forecast", "accuracy", "--from", "2025-02-01", "--to", "2025-04-01", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"meanAbsolutePercentageError\"", "\"withinRangeRate\"", "\"ACCURACY_STEP_MONTH\"");
    }

    @Test
    void anUnknownStepOrAMissingRangeIsAUsageErrorBeforeAnyCall() {
        FakeGateway.Run step = gateway.pql("forecast", "accuracy", "--from", "2025-02-01", "--to", "2025-04-01", "--step", "fortnight");
        assertThat(step.exitCode()).isEqualTo(2);
        assertThat(step.err()).contains("--step", "fortnight", "week, month, quarter");

        FakeGateway.Run noFrom = gateway.pql("forecast", "accuracy", "--to", "2025-04-01");
        assertThat(noFrom.exitCode()).isEqualTo(2);
        assertThat(noFrom.err()).contains("--from");

        FakeGateway.Run badDate = gateway.pql("forecast", "accuracy", "--from", "February", "--to", "2025-04-01");
        assertThat(badDate.exitCode()).isEqualTo(2);
        assertThat(gateway.calls("GetForecastAccuracy")).isZero();
    }
}
