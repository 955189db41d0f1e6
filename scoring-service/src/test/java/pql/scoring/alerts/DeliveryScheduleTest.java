package pql.scoring.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The delivery policy on plain milliseconds: rate limit, backoff, Retry-After, parking. */
class DeliveryScheduleTest {

    private static final DeliverySchedule.Policy POLICY = DeliverySchedule.Policy.of(1.0, Duration.ofSeconds(1),
            Duration.ofSeconds(8), Duration.ofMinutes(10));

    @Test
    void givenOnePostPerSecond_whenAlertsAreDelivered_thenTheNextStartsAFullSecondAfterThePreviousStarted() {
        DeliverySchedule schedule = new DeliverySchedule(POLICY);
        assertThat(schedule.mayPostAt(0)).isTrue();

        schedule.started(10_000);
        schedule.delivered();

        assertThat(schedule.mayPostAt(10_999)).isFalse();
        assertThat(schedule.mayPostAt(11_000)).isTrue();
        assertThat(schedule.failingSince()).isEqualTo(-1);
    }

    @Test
    void givenAReceiverThatKeepsFailing_whenItSendsNoRetryAfter_thenTheWaitDoublesUpToTheCap() {
        DeliverySchedule schedule = new DeliverySchedule(POLICY);
        long now = 0;
        long[] waits = new long[6];
        for (int i = 0; i < waits.length; i++) {
            schedule.started(now);
            assertThat(schedule.failed(now, 0, Optional.empty(), "HTTP 503")).isEqualTo(DeliverySchedule.Verdict.RETRY);
            waits[i] = schedule.nextAttemptAt() - now;
            now = schedule.nextAttemptAt();
        }

        assertThat(waits).containsExactly(1_000, 2_000, 4_000, 8_000, 8_000, 8_000);
        assertThat(schedule.failingSince()).isZero();
        assertThat(schedule.lastError()).isEqualTo("HTTP 503");
    }

    @Test
    void givenA429WithRetryAfter_whenItFails_thenTheNextAttemptWaitsExactlyWhatTheReceiverAsked() {
        DeliverySchedule schedule = new DeliverySchedule(POLICY);
        schedule.started(5_000);

        schedule.failed(5_100, 5_000, Optional.of(Duration.ofSeconds(30)), "HTTP 429");

        assertThat(schedule.nextAttemptAt()).as("beyond the backoff cap: the receiver knows best").isEqualTo(35_100);
        assertThat(schedule.mayPostAt(35_099)).isFalse();
    }

    @Test
    void givenARetryAfterOfZero_whenItFails_thenTheRateLimitStillHolds() {
        DeliverySchedule schedule = new DeliverySchedule(POLICY);
        schedule.started(5_000);

        schedule.failed(5_050, 5_000, Optional.of(Duration.ZERO), "HTTP 429");

        assertThat(schedule.nextAttemptAt()).isEqualTo(6_000);
    }

    @Test
    void givenAnAlertPendingForLongerThanParkAfter_whenItFailsAgain_thenItIsParkedAndTheNextOneWaitsABackoff() {
        DeliverySchedule schedule = new DeliverySchedule(POLICY);
        long pendingSince = 1_000;
        long justBefore = pendingSince + Duration.ofMinutes(10).toMillis() - 1;
        schedule.started(justBefore);
        assertThat(schedule.failed(justBefore, pendingSince, Optional.empty(), "timeout"))
                .isEqualTo(DeliverySchedule.Verdict.RETRY);

        long atParkAfter = pendingSince + Duration.ofMinutes(10).toMillis();
        schedule.started(atParkAfter);
        assertThat(schedule.failed(atParkAfter, pendingSince, Optional.empty(), "timeout"))
                .isEqualTo(DeliverySchedule.Verdict.PARK);
        assertThat(schedule.nextAttemptAt()).isGreaterThanOrEqualTo(atParkAfter + 1_000);
        assertThat(schedule.failingSince()).as("the receiver is still failing").isEqualTo(justBefore);
    }

    @Test
    void givenFailures_whenAnAlertGetsThrough_thenBackoffStartsOverAtTheInitialWait() {
        DeliverySchedule schedule = new DeliverySchedule(POLICY);
        for (int i = 0; i < 4; i++) {
            schedule.started(i * 10_000L);
            schedule.failed(i * 10_000L, 0, Optional.empty(), "HTTP 500");
        }
        schedule.started(50_000);
        schedule.delivered();
        schedule.started(60_000);

        schedule.failed(60_000, 59_000, Optional.empty(), "HTTP 500");

        assertThat(schedule.nextAttemptAt()).isEqualTo(61_000);
    }

    @Test
    void retryAfterReadsSecondsAndHttpDatesAndIgnoresTheRest() {
        long now = 1_700_000_000_000L;
        assertThat(RetryAfter.parse("120", now)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", now)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("Tue, 14 Nov 2023 22:13:40 GMT", now)).contains(Duration.ofSeconds(20));
        assertThat(RetryAfter.parse("Tue, 14 Nov 2023 22:00:00 GMT", now)).as("in the past").contains(Duration.ZERO);
        assertThat(RetryAfter.parse("99999999999", now)).contains(RetryAfter.MAX);
        assertThat(RetryAfter.parse("-5", now)).isEmpty();
        assertThat(RetryAfter.parse("soon", now)).isEmpty();
        assertThat(RetryAfter.parse(null, now)).isEmpty();
    }
}
