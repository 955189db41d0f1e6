package pql.processing;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;

/**
 * An Axon pooled streaming processor together with the threads it runs on. Axon never shuts down the
 * executors it is given; {@link #close()} does, once the processor has stopped.
 */
public final class ProjectionProcessor implements AutoCloseable {

    private final PooledStreamingEventProcessor processor;
    private final ScheduledExecutorService coordinator;
    private final ScheduledExecutorService workers;

    ProjectionProcessor(PooledStreamingEventProcessor processor, ScheduledExecutorService coordinator,
            ScheduledExecutorService workers) {
        this.processor = processor;
        this.coordinator = coordinator;
        this.workers = workers;
    }

    /** The Axon processor itself: status, token resets, splits and merges. */
    public PooledStreamingEventProcessor processor() {
        return processor;
    }

    public String name() {
        return processor.getName();
    }

    public void start() {
        processor.start();
    }

    /** Stops processing and releases the claimed segments; the processor can be started again. */
    public void shutDown() {
        processor.shutDown();
    }

    public boolean isRunning() {
        return processor.isRunning();
    }

    /** Segments this processor works on now. */
    public int claimedSegments() {
        return processor.processingStatus().size();
    }

    /** Stops processing and ends its threads. */
    @Override
    public void close() {
        processor.shutDown();
        coordinator.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
