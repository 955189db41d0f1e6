package pql.forecast.domain.revenue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import pql.forecast.domain.CalendarStep;

class StepInstantsTest {

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static List<String> texts(List<Long> instants) {
        return instants.stream().map(millis -> Instant.ofEpochMilli(millis).toString()).toList();
    }

    @Test
    void givenAMonthlyHistoryFromThe31st_whenStepped_thenEachStepCountsFromTheStartAndShortMonthsEndEarly() {
        List<Long> instants = StepInstants.between(at("2026-01-31T00:00:00Z"), at("2026-04-30T00:00:00Z"), CalendarStep.MONTH, 100);

        assertThat(texts(instants)).containsExactly("2026-01-31T00:00:00Z", "2026-02-28T00:00:00Z",
                "2026-03-31T00:00:00Z", "2026-04-30T00:00:00Z");
    }

    @Test
    void givenWeeks_whenStepped_thenSevenDaysApartUpToTheEndAndNullBeyondTheMaximum() {
        assertThat(texts(StepInstants.between(at("2026-01-05T00:00:00Z"), at("2026-01-25T00:00:00Z"), CalendarStep.WEEK, 100)))
                .containsExactly("2026-01-05T00:00:00Z", "2026-01-12T00:00:00Z", "2026-01-19T00:00:00Z");
        assertThat(StepInstants.between(at("2026-01-05T00:00:00Z"), at("2026-01-25T00:00:00Z"), CalendarStep.WEEK, 2)).isNull();
    }
}
