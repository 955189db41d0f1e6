package pql.processing;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;

/**
 * Builds Axon pooled streaming processors over the event log: the one way projections consume
 * events, live or in replay.
 */
public final class ProjectionProcessors {

    private ProjectionProcessors() {
    }

    /**
     * A processor feeding {@code eventHandlers} (objects with {@code @EventHandler} methods taking
     * {@link pql.eventstore.StoredEvent}). Errors propagate, so a failing batch is retried from
     * its token rather than skipped. Not started.
     */
    public static PooledStreamingEventProcessor pooled(ProjectionProcessorSpec spec, EventLogMessageSource source,
            List<Object> eventHandlers) {
        return pooled(spec, source, eventHandlers, NoTransactionManager.INSTANCE);
    }

    public static PooledStreamingEventProcessor pooled(ProjectionProcessorSpec spec, EventLogMessageSource source,
            List<Object> eventHandlers, TransactionManager transactionManager) {
        SimpleEventHandlerInvoker invoker = SimpleEventHandlerInvoker.builder()
                .eventHandlers(eventHandlers)
                .sequencingPolicy(StreamSequencingPolicy.INSTANCE)
                .listenerInvocationErrorHandler(PropagatingErrorHandler.instance())
                .build();
        return PooledStreamingEventProcessor.builder()
                .name(spec.name())
                .eventHandlerInvoker(invoker)
                .errorHandler(PropagatingErrorHandler.instance())
                .messageSource(source)
                .tokenStore(spec.tokenStore())
                .transactionManager(transactionManager)
                .coordinatorExecutor(threads(spec.name() + "-coordinator", 1))
                .workerExecutor(threads(spec.name() + "-worker", spec.segments()))
                .initialSegmentCount(spec.segments())
                .batchSize(spec.batchSize())
                .initialToken(s -> s.createTailToken())
                .build();
    }

    private static ScheduledExecutorService threads(String prefix, int count) {
        AtomicInteger counter = new AtomicInteger();
        return Executors.newScheduledThreadPool(count, runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }
}
