package pql.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pql.v1.Event;

class LoadGeneratorsTest {

    private final ExecutorService answers = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() throws InterruptedException {
        answers.shutdownNow();
        answers.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void callsInFlightNeverExceedsTheWindowAndWaitsForEveryAnswer() throws InterruptedException {
        AtomicInteger unanswered = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        Throwable failure = CallsInFlight.run(200, 3, i -> {
            most.accumulateAndGet(unanswered.incrementAndGet(), Math::max);
            return CompletableFuture.runAsync(() -> {
                sleep(1);
                unanswered.decrementAndGet();
                answered.incrementAndGet();
            }, answers);
        });
        assertThat(failure).isNull();
        assertThat(answered).hasValue(200);
        assertThat(most.get()).isBetween(1, 3);
    }

    @Test
    void callsInFlightStopsSendingAfterTheFirstFailure() throws InterruptedException {
        AtomicInteger sent = new AtomicInteger();
        Throwable failure = CallsInFlight.run(1_000, 1, i -> {
            sent.incrementAndGet();
            return i == 5 ? CompletableFuture.failedFuture(new IllegalStateException("call 5")) : CompletableFuture.completedFuture(i);
        });
        assertThat(failure).hasMessage("call 5");
        assertThat(sent).hasValue(6);
    }

    @Test
    void pacedCallsCountLatencyFromWhenEachCallWasDueAndLeaveOutWarmUpAndFailures() throws InterruptedException {
        List<Integer> started = new ArrayList<>();
        PacedCalls.Outcome outcome = PacedCalls.run(60, 200, 10, i -> {
            started.add(i);
            if (i % 10 == 9) {
                return CompletableFuture.failedFuture(new IllegalStateException("no"));
            }
            return CompletableFuture.runAsync(() -> sleep(2), answers);
        });
        assertThat(started).hasSize(60);
        assertThat(outcome.measuredCalls()).isEqualTo(50);
        assertThat(outcome.failures()).isEqualTo(6);
        assertThat(outcome.sortedLatencyNanos()).hasSize(45).isSorted();
        assertThat(outcome.millis(0.5)).isGreaterThanOrEqualTo(2.0);
        assertThat(outcome.maxMillis()).isGreaterThanOrEqualTo(outcome.millis(0.99));
        // 50 measured calls due 5 ms apart: a quarter of a second at least
        assertThat(outcome.measuredSeconds()).isGreaterThanOrEqualTo(0.24);
        assertThat(outcome.callsPerSecond()).isLessThanOrEqualTo(210);
    }

    @Test
    void syntheticProductActionsAreValidEventsOfTheirAccount() {
        SplittableRandom random = new SplittableRandom(7);
        Event event = SyntheticProductActions.event(random, "e-1", "acct-1", 1_800_000_000L);
        assertThat(event.getEventId()).isEqualTo("e-1");
        assertThat(event.getAccountId()).isEqualTo("acct-1");
        assertThat(event.hasProductAction()).isTrue();
        assertThat(event.getProductAction().getQuantity()).isBetween(1.0, 3.0);
        assertThat(event.getOccurredAt().getSeconds()).isBetween(1_800_000_000L - 7_776_000, 1_800_000_000L);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
