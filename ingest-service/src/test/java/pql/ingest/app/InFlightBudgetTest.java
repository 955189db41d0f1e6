package pql.ingest.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
    void aWaiterRunsOnTheExecutorAfterTheNextRelease() {
        InFlightBudget.Lease lease = budget.tryAcquire(8, 10).orElseThrow();
        List<String> woken = new ArrayList<>();

        assertThat(budget.tryAcquireOrWait(5, 10, () -> woken.add("acquire"))).isEmpty();
        assertThat(budget.hasRoomOrWait(5, 10, () -> woken.add("room"))).isFalse();
        assertThat(scheduled).isEmpty();

        lease.close();
        assertThat(woken).isEmpty(); // not on the releasing thread
        scheduled.forEach(Runnable::run);
        assertThat(woken).containsExactly("acquire", "room");
    }

    @Test
    void aCallLargerThanTheWholeBudgetCanNeverFit() {
        assertThat(budget.canEverFit(10, 1_000)).isTrue();
        assertThat(budget.canEverFit(11, 1)).isFalse();
        assertThat(budget.canEverFit(1, 1_001)).isFalse();
    }
}
