package pql.ingest.app;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InFlightBudgetTest {

    private final List<Runnable> scheduled = new ArrayList<>();
    private final InFlightBudget budget = new InFlightBudget(10, 1_000, scheduled::add);

    @Test
    void leasesAddUpToTheLimitOfEventsAndOfBytes() {
        Optional<InFlightBudget.Lease> first = budget.tryAcquire(6, 100);

        assertThat(first).isPresent();
        assertThat(budget.tryAcquire(5, 100)).isEmpty();
        assertThat(budget.tryAcquire(4, 901)).isEmpty();
        assertThat(budget.tryAcquire(4, 900)).isPresent();
        assertThat(budget.eventsInFlight()).isEqualTo(10);
        assertThat(budget.bytesInFlight()).isEqualTo(1_000);
    }

    @Test
    void releasingTwiceFreesTheRoomOnce() {
        InFlightBudget.Lease lease = budget.tryAcquire(10, 10).orElseThrow();
        lease.close();
        lease.close();

        assertThat(budget.eventsInFlight()).isZero();
        budget.tryAcquire(10, 10).orElseThrow();
        assertThat(budget.tryAcquire(1, 1)).isEmpty();
    }

    @Test
    void aRoomWatcherRunsOnTheExecutorAfterTheNextRelease() {
        InFlightBudget.Lease lease = budget.tryAcquire(8, 10).orElseThrow();
        List<String> woken = new ArrayList<>();

        assertThat(budget.hasRoomOrWait(5, 10, () -> woken.add("room"))).isFalse();
        assertThat(scheduled).isEmpty();

        lease.close();
        assertThat(woken).isEmpty(); // not on the releasing thread
        scheduled.forEach(Runnable::run);
        assertThat(woken).containsExactly("room");
    }

    // --- admission by time: a clock and a timer the test moves by hand ---

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Timed> timers = new ArrayList<>();
    private final InFlightBudget timed = new InFlightBudget(10, 1_000, Duration.ofSeconds(1), Runnable::run,
            (nanos, task) -> timers.add(new Timed(now.get() + nanos, task)), now::get);

    private record Timed(long dueAt, Runnable task) {
    }

    /** Moves the clock and runs the timers that are due. */
    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
        List<Timed> due = timers.stream().filter(t -> t.dueAt() <= now.get()).toList();
        timers.removeAll(due);
        due.forEach(t -> t.task().run());
    }

    @Test
    void aCallThatFindsNoRoomWaitsAtMostTheAdmissionWaitThenIsRefusedWithARetryHint() {
        InFlightBudget.Lease held = timed.acquire(8, 10, now.get()).join();

        CompletableFuture<InFlightBudget.Lease> waiting = timed.acquire(5, 10, now.get());
        advance(Duration.ofMillis(999));
        assertThat(waiting).isNotDone();

        advance(Duration.ofMillis(1));
        assertThat(waiting).isCompletedExceptionally();
        assertThatThrownBy(waiting::join).cause().isInstanceOf(IngestOverloadedException.class)
                .hasMessageContaining("within 1000 ms").hasMessageContaining("nothing of this call was stored");
        IngestOverloadedException refusal = (IngestOverloadedException) waiting.handle((l, e) -> e).join();
        assertThat(refusal.retryAfter()).isBetween(InFlightBudget.MIN_RETRY_HINT, InFlightBudget.MAX_RETRY_HINT);
        assertThat(timed.eventsInFlight()).as("a refused call holds nothing").isEqualTo(8);

        held.close();
        assertThat(timed.eventsInFlight()).isZero();
    }

    @Test
    void aCallWhoseRoomFreesWithinTheWaitIsAdmitted() {
        InFlightBudget.Lease held = timed.acquire(8, 10, now.get()).join();
        CompletableFuture<InFlightBudget.Lease> waiting = timed.acquire(5, 10, now.get());

        advance(Duration.ofMillis(900));
        held.close();

        assertThat(waiting).isCompleted();
        assertThat(timed.eventsInFlight()).isEqualTo(5);
        advance(Duration.ofSeconds(5)); // its timer firing later changes nothing
        assertThat(waiting.join()).isNotNull();
        assertThat(timed.eventsInFlight()).isEqualTo(5);
    }

    @Test
    void theWaitCountsFromArrivalSoACallThatArrivedLongAgoIsRefusedAtOnce() {
        timed.acquire(8, 10, now.get()).join();
        long arrived = now.get();
        advance(Duration.ofMillis(1_500));

        assertThat(timed.acquire(5, 10, arrived)).isCompletedExceptionally();
        assertThat(timers).isEmpty();
    }

    @Test
    void waitingCallsAreAdmittedInArrivalOrderAndNoLaterCallOvertakesThem() {
        InFlightBudget.Lease held = timed.acquire(9, 10, now.get()).join();
        CompletableFuture<InFlightBudget.Lease> big = timed.acquire(6, 10, now.get());

        // one event would fit, but the call that came first is waiting
        assertThat(timed.tryAcquire(1, 1)).isEmpty();
        CompletableFuture<InFlightBudget.Lease> small = timed.acquire(1, 1, now.get());
        assertThat(small).isNotDone();

        held.close();
        assertThat(big).isCompleted();
        assertThat(small).isCompleted();
        assertThat(timed.eventsInFlight()).isEqualTo(7);
    }

    @Test
    void onceTheDrainRateIsKnownTheRoomIsWhatTheStoreMakesDurableInTheWait() {
        InFlightBudget budget = new InFlightBudget(100_000, 1 << 30, Duration.ofSeconds(1), Runnable::run,
                (nanos, task) -> timers.add(new Timed(now.get() + nanos, task)), now::get);
        assertThat(budget.admittedEvents()).as("rate unknown: the whole budget").isEqualTo(100_000);

        // the store makes 500 events durable every 50 ms, busy all the time: 10,000 events/s
        for (int i = 0; i < 25; i++) {
            InFlightBudget.Lease lease = budget.acquire(500, 500, now.get()).join();
            budget.acquire(1, 1, now.get()).join(); // keeps the store busy between two batches
            advance(Duration.ofMillis(50));
            lease.close();
        }

        assertThat(budget.drainRate()).isBetween(9_000.0, 11_000.0);
        assertThat(budget.admittedEvents()).isBetween(9_000L, 11_000L);
        assertThat(budget.retryHint()).isEqualTo(InFlightBudget.MIN_RETRY_HINT); // 25 events in flight drain at once
    }

    @Test
    void theRateBasedRoomNeverStopsACallWhenNothingIsInFlight() {
        InFlightBudget budget = new InFlightBudget(100, 1_000, Duration.ofSeconds(1), Runnable::run,
                (nanos, task) -> timers.add(new Timed(now.get() + nanos, task)), now::get);
        for (int i = 0; i < 30; i++) { // one event durable every 100 ms: 10 events/s, room for 10 at most (5 = max/20)
            InFlightBudget.Lease lease = budget.acquire(1, 1, now.get()).join();
            advance(Duration.ofMillis(100));
            lease.close();
        }
        assertThat(budget.admittedEvents()).isLessThan(50);

        assertThat(budget.acquire(80, 10, now.get())).isCompleted();
    }

    @Test
    void aCallLargerThanTheWholeBudgetCanNeverFit() {
        assertThat(budget.canEverFit(10, 1_000)).isTrue();
        assertThat(budget.canEverFit(11, 1)).isFalse();
        assertThat(budget.canEverFit(1, 1_001)).isFalse();
    }
}
