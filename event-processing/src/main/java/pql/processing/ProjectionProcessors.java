package pql.processing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.IntSupplier;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.eventhandling.TrackedEventMessage;

/**
 * Builds Axon pooled streaming processors over the event log: the one way projections consume
 * events, live or in replay. Errors propagate, so a failing batch is retried from its token rather
 * than skipped. The processors are returned with their threads, not started.
 */
public final class ProjectionProcessors {

    /**
     * How a processor claims segments.
     *
     * @param transactionManager around claims and token updates (a JDBC token store needs a real one)
     * @param tokenClaimInterval how often unclaimed segments are looked for
     * @param claimExtension how often held claims are extended when there is nothing to process
     * @param maxClaimedSegments segments this process may hold, asked at every claim round (a fair share
     *     when several processes split the work)
     */
    public record Options(TransactionManager transactionManager, Duration tokenClaimInterval, Duration claimExtension,
            IntSupplier maxClaimedSegments) {

        public static Options defaults() {
            return new Options(NoTransactionManager.INSTANCE, Duration.ofMillis(500), Duration.ofSeconds(5),
                    () -> Short.MAX_VALUE);
        }

        public Options withTransactionManager(TransactionManager manager) {
            return new Options(manager, tokenClaimInterval, claimExtension, maxClaimedSegments);
        }

        public Options withClaimIntervals(Duration claimInterval, Duration extension) {
            return new Options(transactionManager, claimInterval, extension, maxClaimedSegments);
        }

        public Options withMaxClaimedSegments(IntSupplier max) {
            return new Options(transactionManager, tokenClaimInterval, claimExtension, max);
        }
    }

    private ProjectionProcessors() {
    }

    /**
     * A processor feeding {@code eventHandlers} (objects with {@code @EventHandler} methods taking
     * {@link pql.eventstore.StoredEvent}), one message per event, sequenced by stream.
     */
    public static ProjectionProcessor pooled(ProjectionProcessorSpec spec, EventLogMessageSource source,
            List<Object> eventHandlers) {
        return pooled(spec, source, eventHandlers, NoTransactionManager.INSTANCE);
    }

    public static ProjectionProcessor pooled(ProjectionProcessorSpec spec, EventLogMessageSource source,
            List<Object> eventHandlers, TransactionManager transactionManager) {
        SimpleEventHandlerInvoker invoker = SimpleEventHandlerInvoker.builder()
                .eventHandlers(eventHandlers)
                .sequencingPolicy(StreamSequencingPolicy.INSTANCE)
                .listenerInvocationErrorHandler(PropagatingErrorHandler.instance())
                .build();
        return build(spec, source, invoker, Options.defaults().withTransactionManager(transactionManager));
    }

    /**
     * A processor feeding {@code handler} chunks of the log ({@link ChunkedEventLogSource}); each segment
     * applies the events of its own streams. {@code spec.batchSize()} counts chunks per unit of work.
     */
    public static ProjectionProcessor chunked(ProjectionProcessorSpec spec, ChunkedEventLogSource source,
            SegmentChunkHandler handler, Options options) {
        return build(spec, source, new ChunkEventHandlerInvoker(handler, source.flow()), options);
    }

    private static ProjectionProcessor build(ProjectionProcessorSpec spec,
            StreamableMessageSource<TrackedEventMessage<?>> source, EventHandlerInvoker invoker, Options options) {
        ScheduledExecutorService coordinator = threads(spec.name() + "-coordinator", 1);
        ScheduledExecutorService workers = threads(spec.name() + "-worker", spec.segments());
        PooledStreamingEventProcessor processor = PooledStreamingEventProcessor.builder()
                .name(spec.name())
                .eventHandlerInvoker(invoker)
                .errorHandler(PropagatingErrorHandler.instance())
                .messageSource(source)
                .tokenStore(spec.tokenStore())
                .transactionManager(options.transactionManager())
                .coordinatorExecutor(coordinator)
                .workerExecutor(workers)
                .initialSegmentCount(spec.segments())
                .batchSize(spec.batchSize())
                .tokenClaimInterval(options.tokenClaimInterval().toMillis())
                .claimExtensionThreshold(options.claimExtension().toMillis())
                .maxSegmentProvider(name -> Math.max(0, options.maxClaimedSegments().getAsInt()))
                .initialToken(s -> s.createTailToken())
                .build();
        return new ProjectionProcessor(processor, coordinator, workers);
    }

    private static ScheduledExecutorService threads(String prefix, int count) {
        return Executors.newScheduledThreadPool(count, BackgroundThreads.numbered(prefix));
    }
}
