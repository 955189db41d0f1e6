package pql.forecast.domain.accuracy;

import static org.assertj.core.api.Assertions.assertThat;
import static pql.forecast.domain.accuracy.ForecastAccuracyTest.millis;

import java.util.List;
import org.junit.jupiter.api.Test;
import pql.forecast.domain.CalendarStep;

class PeriodTest {

    @Test
    void monthsFollowTheCalendarAndTheLastIsCutShortAtTheEnd() {
        List<Period> periods = Period.split(millis("2025-01-01T00:00:00Z"), millis("2025-03-15T00:00:00Z"), CalendarStep.MONTH, 60);

        assertThat(periods).containsExactly(
                new Period(millis("2025-01-01T00:00:00Z"), millis("2025-02-01T00:00:00Z")),
                new Period(millis("2025-02-01T00:00:00Z"), millis("2025-03-01T00:00:00Z")),
                new Period(millis("2025-03-01T00:00:00Z"), millis("2025-03-15T00:00:00Z")));
    }

    @Test
    void weeksAndQuartersStartAtFrom() {
        assertThat(Period.split(millis("2025-01-01T00:00:00Z"), millis("2025-01-15T00:00:00Z"), CalendarStep.WEEK, 60))
                .extracting(Period::endEpochMillis).containsExactly(millis("2025-01-08T00:00:00Z"), millis("2025-01-15T00:00:00Z"));
        assertThat(Period.split(millis("2025-02-01T00:00:00Z"), millis("2026-02-01T00:00:00Z"), CalendarStep.QUARTER, 60))
                .extracting(Period::startEpochMillis).containsExactly(millis("2025-02-01T00:00:00Z"), millis("2025-05-01T00:00:00Z"),
                        millis("2025-08-01T00:00:00Z"), millis("2025-11-01T00:00:00Z"));
    }

    @Test
    void aRangeTooLongStopsOnePastTheLimit() {
        List<Period> periods = Period.split(millis("2020-01-01T00:00:00Z"), millis("2025-01-01T00:00:00Z"), CalendarStep.WEEK, 60);

        assertThat(periods).hasSize(61);
    }
}
