package pql.load;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/** Closed-loop load: calls sent as fast as answers come back, a fixed number unanswered at any time. */
public final class CallsInFlight {

    private CallsInFlight() {
    }

    /**
     * Sends calls 0 to {@code count - 1}, at most {@code inFlight} unanswered; after the first
     * failure sends no more. Returns once every call sent is answered: the first failure, or null.
     */
    public static Throwable run(int count, int inFlight, IntFunction<? extends CompletionStage<?>> call) throws InterruptedException {
        if (inFlight < 1) {
            throw new IllegalArgumentException("inFlight must be >= 1");
        }
        Semaphore slots = new Semaphore(inFlight);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < count; i++) {
            slots.acquire();
            if (failure.get() != null) {
                slots.release();
                break;
            }
            call.apply(i).whenComplete((answer, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
                slots.release();
            });
        }
        slots.acquire(inFlight);
        slots.release(inFlight);
        return failure.get();
    }
}
