package pql.ingest;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import io.grpc.ServerServiceDefinition;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import pql.common.ServiceModule;
import pql.common.telemetry.Telemetry;
import pql.eventstore.EventStore;
import pql.ingest.app.InFlightBudget;
import pql.ingest.app.IngestUseCase;
import pql.ingest.grpc.IngestGrpcService;
import pql.ingest.keys.ApiKeyLogGrpcService;
import pql.ingest.ops.EventStoreHealthCheck;
import pql.ingest.ops.IngestMeters;
import pql.ingest.validation.EventValidator;

/**
 * The ingest service assembled: validation, the in-flight budget, the use case over the event
 * store, pql.v1.IngestService, and the "pql-api-keys" stream the gateways keep their runtime keys in
 * (pql.v1.ApiKeyLogService). Runs in its own process ({@link IngestServiceApp}) or inside
 * the all-in-one; the store belongs to the caller, who closes it after this module.
 */
public final class IngestModule implements ServiceModule {

    private final EventStore store;
    private final MetricRegistry metrics = new MetricRegistry();
    private final ExecutorService completions;
    private final ScheduledExecutorService admissionTimer;
    private final IngestUseCase useCase;
    private final IngestGrpcService service;
    private final ApiKeyLogGrpcService apiKeyLog;

    public IngestModule(IngestSettings settings, EventStore store, Telemetry telemetry, Clock clock) {
        this.store = store;
        this.completions = Executors.newFixedThreadPool(settings.getCompletionThreads(), daemonThreads("ingest-completion"));
        // one thread that only refuses the calls that waited too long for room
        this.admissionTimer = Executors.newSingleThreadScheduledExecutor(daemonThreads("ingest-admission"));
        InFlightBudget budget = new InFlightBudget(settings.getMaxInFlightEvents(), settings.getMaxInFlightBytes(),
                java.time.Duration.ofMillis(settings.getMaxAdmissionWait().toMilliseconds()), completions, InFlightBudget.Timer.of(admissionTimer),
                System::nanoTime);
        IngestMeters meters = new IngestMeters(metrics, telemetry.meter(), budget);
        this.useCase = new IngestUseCase(store, new EventValidator(clock), budget, meters, telemetry.tracer(), clock,
                completions);
        this.service = new IngestGrpcService(useCase, settings.getMaxChunksInFlightPerStream());
        this.apiKeyLog = new ApiKeyLogGrpcService(store, clock);
    }

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public List<ServerServiceDefinition> services() {
        return List.of(service.bindService(), apiKeyLog.bindService());
    }

    @Override
    public Map<String, HealthCheck> healthChecks() {
        return Map.of("event-store", new EventStoreHealthCheck(store));
    }

    /** Counters and timers of this module (names without the "pql.ingest." prefix). */
    public MetricRegistry metrics() {
        return metrics;
    }

    /** This module's figures under "pql.ingest.", e.g. {@code pql.ingest.events.accepted}. */
    @Override
    public void registerMetrics(MetricRegistry registry) {
        registry.register("pql.ingest", metrics);
    }

    public IngestUseCase useCase() {
        return useCase;
    }

    @Override
    public void start() {
        // nothing runs in the background: every call is served on demand
    }

    @Override
    public void close() throws InterruptedException {
        admissionTimer.shutdownNow();
        completions.shutdown();
        if (!completions.awaitTermination(10, TimeUnit.SECONDS)) {
            completions.shutdownNow();
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            // ingest work yields to reads when the cores are short (issue #13)
            thread.setPriority(Thread.MIN_PRIORITY);
            return thread;
        };
    }
}
