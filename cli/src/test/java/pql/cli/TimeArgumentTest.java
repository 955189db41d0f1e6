package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The forms --as-of and --known-at take, against a fixed clock: 2026-12-02T15:30:00Z. */
class TimeArgumentTest {

    private final TimeArgument time = new TimeArgument(Clock.fixed(Instant.parse("2026-12-02T15:30:00Z"), ZoneOffset.UTC));

    @Test
    void datesAreTheStartOfTheDayInUtcAndInstantsAreThemselves() {
        assertThat(time.parse("2026-11-25")).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
        assertThat(time.parse("2026-11-25T08:15:00Z")).isEqualTo(Instant.parse("2026-11-25T08:15:00Z"));
        assertThat(time.parse("2026-11-25T08:15:00.250Z")).isEqualTo(Instant.parse("2026-11-25T08:15:00.250Z"));
    }

    @Test
    void todayAndYesterdayAreTheStartOfThatDayInUtcAndNowIsNow() {
        assertThat(time.parse("today")).isEqualTo(Instant.parse("2026-12-02T00:00:00Z"));
        assertThat(time.parse("Yesterday")).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(time.parse("now")).isEqualTo(Instant.parse("2026-12-02T15:30:00Z"));
    }

    @Test
    void anAgeIsNowMinusThatMuch() {
        assertThat(time.parse("7d")).isEqualTo(Instant.parse("2026-11-25T15:30:00Z"));
        assertThat(time.parse("12h")).isEqualTo(Instant.parse("2026-12-02T03:30:00Z"));
        assertThat(time.parse("30m")).isEqualTo(Instant.parse("2026-12-02T15:00:00Z"));
        assertThat(time.parse("2w")).isEqualTo(Instant.parse("2026-11-18T15:30:00Z"));
    }

    @Test
    void anythingElseIsAConversionErrorNamingTheAcceptedForms() {
        for (String bad : new String[] {"last tuesday", "7 days", "-7d", "2026-13-01", "25/11/2026", ""}) {
            assertThat(time.parse(bad)).as(bad).isNull();
        }
        assertThatThrownBy(() -> time.convert("soon"))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessage("'soon' is not a date or instant: " + TimeArgument.FORMS);
    }
}
