package pql.scoring;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import io.grpc.ServerInterceptors;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.grpc.ServerServiceDefinition;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pql.common.ServiceModule;
import pql.common.service.Readiness;
import pql.common.telemetry.Telemetry;
import pql.eventstore.EventStore;
import pql.scoring.app.BackgroundThreads;
import pql.scoring.app.DefinitionSuggestions;
import pql.scoring.store.StoreTrialHistories;
import pql.scoring.alerts.AlertDispatcher;
import pql.scoring.alerts.AlertJournal;
import pql.scoring.alerts.AlertMessages;
import pql.scoring.alerts.AlertSubscriptions;
import pql.scoring.alerts.DeliverySchedule;
import pql.scoring.alerts.ScoringAccountLookup;
import pql.scoring.alerts.Subscription;
import pql.scoring.alerts.Webhook;
import pql.scoring.app.DefinitionBacktests;
import pql.scoring.app.DefinitionRegistry;
import pql.scoring.app.KnowledgeSnapshots;
import pql.scoring.app.PastKnowledge;
import pql.scoring.app.RecordedTimeIndex;
import pql.scoring.app.ProjectionReadiness;
import pql.scoring.app.ProjectionRollout;
import pql.scoring.app.RescoreProgress;
import pql.scoring.app.ScoreQueries;
import pql.scoring.app.ScoringProjection;
import pql.scoring.app.TransitionHub;
import pql.scoring.axon.AxonProjectionEngine;
import pql.scoring.axon.ProjectionRunner;
import pql.scoring.axon.ProjectionTelemetry;
import pql.scoring.domain.TransitionKind;
import pql.scoring.grpc.AlertGrpcService;
import pql.scoring.grpc.DefinitionGrpcService;
import pql.scoring.grpc.MetricsGrpcService;
import pql.scoring.grpc.Principals;
import pql.scoring.grpc.ReadinessGate;
import pql.scoring.grpc.ScoringGrpcService;
import pql.scoring.store.KnowledgeSnapshotFiles;
import pql.scoring.store.StoreDefinitionLog;
import pql.scoring.store.StoreExchangeRateLog;
import pql.scoring.store.StoreSubscriptionLog;

/**
 * The scoring service assembled: ScoringService, DefinitionService, MetricsService and AlertService
 * over the projections of the event log. Runs standalone (ScoringServiceApp) or inside the all-in-one.
 */
public final class ScoringModule implements ServiceModule {

    private static final Logger LOG = LoggerFactory.getLogger(ScoringModule.class);
    private static final long READINESS_CHECK_MILLIS = 50;
    private static final AttributeKey<Long> DEFINITION_VERSION = AttributeKey.longKey("pql.scoring.definition_version");

    private final ScoringSettings settings;
    private final EventStore store;
    private final Telemetry telemetry;
    private final DefinitionRegistry registry;
    private final TransitionHub hub;
    private final AlertDispatcher alerts;
    private final AlertSubscriptions subscriptions;
    private final ProjectionRollout projections;
    private final ScoreQueries queries;
    private final KnowledgeSnapshots knowledgeSnapshots;
    private final PastKnowledge knowledge;
    private final ExecutorService fanout;
    private final ScheduledExecutorService maintenance;
    private final List<ServerServiceDefinition> services;
    private final DistributedScoring sharing;
    private final Readiness readiness = Readiness.notReadyYet("scoring has not started");
    private final Clock clock;
    /** When the serving projection was last seen at the log head (for the lag in seconds). */
    private final java.util.concurrent.atomic.AtomicLong caughtUpAtMillis;

    /**
     * On a PostgreSQL store, or with {@code distributed.sharedState.url} set, the projections are shared with every
     * other scoring process on that PostgreSQL (claims, checkpoints and heartbeats, see
     * {@link DistributedScoring}); otherwise this process owns them (claims in memory, checkpoints in
     * {@code dataDirectory}).
     */
    public ScoringModule(ScoringSettings settings, EventStore store, Telemetry telemetry, Clock clock) {
        this(settings, store, telemetry, clock, DistributedScoring.forStore(store, settings.getDistributed()));
    }

    /**
     * @param tokens where processors claim segments; token values themselves come from the checkpoints
     *     (files under {@code dataDirectory}), so this is for one process
     */
    public ScoringModule(ScoringSettings settings, EventStore store, Telemetry telemetry, Clock clock,
            TokenStore tokens) {
        this(settings, store, telemetry, clock, DistributedScoring.local(tokens, settings));
    }

    private ScoringModule(ScoringSettings settings, EventStore store, Telemetry telemetry, Clock clock,
            DistributedScoring sharing) {
        this.sharing = sharing == null ? DistributedScoring.local(new InMemoryTokenStore(), settings) : sharing;
        this.settings = settings;
        this.store = store;
        this.telemetry = telemetry;
        this.clock = clock;
        this.caughtUpAtMillis = new java.util.concurrent.atomic.AtomicLong(clock.millis());
        this.registry = new DefinitionRegistry(new StoreDefinitionLog(store), clock);
        this.hub = new TransitionHub(settings.getWatchQueueCapacity());
        AxonProjectionEngine engine = new AxonProjectionEngine(store, this.sharing.sharing(),
                this.sharing.checkpoints(),
                new ProjectionRunner.Settings(settings.getSegments(), settings.getBatchSize(), settings.getChunkSize(),
                        settings.getCheckpointInterval().toJavaDuration(), settings.getReadAhead()), clock,
                new ProjectionTelemetry(telemetry.tracer(), telemetry.meter()));
        this.projections = new ProjectionRollout(registry, engine, hub, clock, settings.getMaxConcurrentRescores(),
                settings.getKeepRetiredProjections());
        // known_at: every durable projection is snapshotted by log position; the past folds forward from those
        Path knowledgeDirectory = Path.of(settings.getDataDirectory()).resolve("knowledge");
        this.knowledgeSnapshots = new KnowledgeSnapshots(new KnowledgeSnapshotFiles(knowledgeDirectory), store::headPosition,
                new KnowledgeSnapshots.Settings(settings.getKnownAt().getMinSnapshotSpacing(),
                        settings.getKnownAt().getMaxSnapshotsPerSegment()));
        projections.observeProjections(knowledgeSnapshots::attach);
        this.knowledge = new PastKnowledge(store, new RecordedTimeIndex(store, knowledgeDirectory.resolve("recorded-time.idx")),
                knowledgeSnapshots, projections::compiled, clock, settings.getKnownAt().getKeepFor().toJavaDuration(),
                settings.getAsOfExportTimeout().toJavaDuration());
        this.queries = new ScoreQueries(projections, store, engine, settings.getAsOfExportTimeout().toJavaDuration(),
                clock, knowledge).percentileMaxAge(settings.getPercentileMaxAge().toJavaDuration());
        this.alerts = alertDispatcher(settings, clock, store, queries, projections);
        projections.alertTo(alerts);
        this.subscriptions = new AlertSubscriptions(new StoreSubscriptionLog(store), alerts,
                defaultSubscription(settings.getAlerts(), Path.of(settings.getDataDirectory()).resolve("alerts"), clock),
                clock);
        this.fanout = Executors.newFixedThreadPool(2, BackgroundThreads.named("scoring-watch-fanout"));
        this.maintenance = Executors.newSingleThreadScheduledExecutor(BackgroundThreads.named("scoring-maintenance"));
        Principals principals = new Principals();
        // the gate runs first: a read refused while restoring needs no principal
        ReadinessGate gate = new ReadinessGate(projections);
        this.services = List.of(
                ServerInterceptors.intercept(new ScoringGrpcService(queries, projections, hub, fanout, clock,
                        new StoreExchangeRateLog(store)), principals,
                        gate),
                ServerInterceptors.intercept(new DefinitionGrpcService(registry, projections,
                        new DefinitionBacktests(registry, projections),
                        new DefinitionSuggestions(new StoreTrialHistories(store), registry, projections)), principals, gate),
                ServerInterceptors.intercept(new MetricsGrpcService(projections, queries, clock), principals, gate),
                ServerInterceptors.intercept(new AlertGrpcService(subscriptions, alerts), principals));
    }

    /**
     * Alerts from the serving projection's transitions through a journal under
     * {@code <dataDirectory>/alerts}; see the README's "Alerts" for why it is durable before the checkpoint.
     */
    private static AlertDispatcher alertDispatcher(ScoringSettings settings, Clock clock, EventStore store,
            ScoreQueries queries, ProjectionRollout projections) {
        AlertSettings config = settings.getAlerts();
        Set<TransitionKind> kinds = EnumSet.noneOf(TransitionKind.class);
        config.getOn().forEach(kind -> kinds.add(TransitionKind.valueOf(kind)));
        AlertDispatcher.Settings alertSettings = new AlertDispatcher.Settings(kinds, config.getFreshness().toJavaDuration(),
                config.getSummaryQuietPeriod().toJavaDuration(), DeliverySchedule.Policy.of(config.getRatePerSecond(),
                        config.getInitialBackoff().toJavaDuration(), config.getMaxBackoff().toJavaDuration(),
                        config.getParkAfter().toJavaDuration()));
        return new AlertDispatcher(alertSettings,
                new AlertJournal(Path.of(settings.getDataDirectory()).resolve("alerts").resolve("journal.log")),
                new AlertMessages(config.getDashboardBaseUrl()),
                new ScoringAccountLookup(queries, store, version -> projections.compiled(version).definition()),
                new Webhook.Http(config.getTimeout().toJavaDuration(), clock), clock, projections::isReady);
    }

    /** {@code webhookUrl} as the subscription "default", its secret configured or generated once. */
    private static Subscription defaultSubscription(AlertSettings config, Path directory, Clock clock) {
        if (config.getWebhookUrl().isBlank()) {
            return null;
        }
        AlertSubscriptions.checkUrl(config.getWebhookUrl(), "scoring.alerts.webhookUrl").ifPresent(problem -> {
            throw new IllegalArgumentException(problem.field() + ": " + problem.message());
        });
        String secret = config.getWebhookSecret();
        if (secret.isBlank()) {
            secret = pql.scoring.alerts.SecretFile.loadOrCreate(directory.resolve("default-secret"));
        }
        return new Subscription(Subscription.DEFAULT_ID, config.getWebhookUrl(), Subscription.Format.SLACK,
                Subscription.Filter.ALL, secret, clock.millis(), "scoring.alerts.webhookUrl");
    }

    @Override
    public String name() {
        return "scoring";
    }

    @Override
    public List<ServerServiceDefinition> services() {
        return services;
    }

    @Override
    public Map<String, HealthCheck> healthChecks() {
        Map<String, HealthCheck> checks = new LinkedHashMap<>();
        checks.put("event-store", new HealthCheck() {
            @Override
            protected Result check() {
                return store.isAvailable() ? Result.healthy(store.engineName())
                        : Result.unhealthy(store.engineName() + " is not available");
            }
        });
        checks.put("scoring-projection", new HealthCheck() {
            @Override
            protected Result check() {
                ProjectionReadiness.Status readiness = projections.readiness();
                if (!readiness.ready()) {
                    return Result.unhealthy(readiness.message());
                }
                long lag = projectionLag();
                String message = "definition v" + projections.servingVersion() + ", " + lag + " events behind the log";
                return lag <= settings.getMaxProjectionLag() ? Result.healthy(message) : Result.unhealthy(message);
            }
        });
        return checks;
    }

    /** Events between the log head and what the serving projection has applied. */
    public long projectionLag() {
        return Math.max(0, store.headPosition() - projections.serving().processedPosition());
    }

    /**
     * How long the serving projection has been behind the log head, in seconds: 0 while caught up,
     * else the time since it was last seen caught up (sampled by every read and by maintenance).
     */
    public long projectionLagSeconds() {
        long now = clock.millis();
        if (projectionLag() == 0) {
            caughtUpAtMillis.set(now);
            return 0;
        }
        return Math.max(0, now - caughtUpAtMillis.get()) / 1000;
    }

    /** Not ready until the serving projection is restored and caught up (see {@link ProjectionReadiness}). */
    @Override
    public Readiness readiness() {
        return readiness;
    }

    @Override
    public void start() {
        long startedAt = System.nanoTime();
        // before the projection replays: its catch-up re-derives alerts a crash may have left unjournaled
        subscriptions.refresh();
        projections.start();
        knowledge.start();
        readiness.notReady(projections.readiness().message());
        // Reads find out for themselves (ReadinessGate); this tells grpc.health.v1, within 50 ms.
        maintenance.scheduleWithFixedDelay(() -> {
            try {
                ProjectionReadiness.Status status = projections.readiness();
                if (status.ready() && !readiness.isReady()) {
                    LOG.info("scoring is ready {} ms after start: {}", (System.nanoTime() - startedAt) / 1_000_000,
                            status.message());
                }
                if (status.ready()) {
                    readiness.ready(status.message());
                } else {
                    readiness.notReady(status.message());
                }
            } catch (RuntimeException e) {
                LOG.warn("scoring readiness check failed: {}", e.getMessage());
            }
        }, 0, READINESS_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        long refresh = Math.max(50, settings.getPercentileRefresh().toMilliseconds());
        maintenance.scheduleWithFixedDelay(() -> {
            try {
                projectionLagSeconds(); // samples "caught up" even when nobody reads the metrics
                projections.maintain();
            } catch (RuntimeException e) {
                LOG.warn("scoring maintenance failed: {}", e.getMessage());
            }
        }, refresh, refresh, TimeUnit.MILLISECONDS);
        long refreshSubscriptions = Math.max(100, settings.getAlerts().getSubscriptionRefresh().toMilliseconds());
        maintenance.scheduleWithFixedDelay(() -> {
            try {
                subscriptions.refresh();
                alerts.maintain();
            } catch (RuntimeException e) {
                LOG.warn("alert subscriptions refresh failed: {}", e.getMessage());
            }
        }, refreshSubscriptions, refreshSubscriptions, TimeUnit.MILLISECONDS);
        registerTelemetry();
    }

    private void registerTelemetry() {
        var meter = telemetry.meter();
        meter.gaugeBuilder("pql.scoring.events_applied").ofLongs().setDescription("events applied by the serving projection")
                .buildWithCallback(m -> m.record(projections.serving().eventsApplied()));
        meter.gaugeBuilder("pql.scoring.projection_lag").ofLongs().setDescription("events behind the log head")
                .buildWithCallback(m -> m.record(projectionLag()));
        meter.gaugeBuilder("pql.scoring.rescore_events_done").ofLongs().setDescription("events replayed by rescores")
                .buildWithCallback(m -> projections.activeRescores().forEach(p -> m.record(p.eventsDone(), versionOf(p))));
        meter.gaugeBuilder("pql.scoring.rescore_events_total").ofLongs()
                .setDescription("events a rescore replays (the log head when it started)")
                .buildWithCallback(m -> projections.activeRescores().forEach(p -> m.record(p.eventsTotal(), versionOf(p))));
        meter.gaugeBuilder("pql.scoring.rescore_progress").setUnit("1")
                .setDescription("share of its events a rescore has replayed, 0..1")
                .buildWithCallback(m -> projections.activeRescores().forEach(p -> m.record(shareDone(p), versionOf(p))));
        meter.gaugeBuilder("pql.scoring.segments_held").ofLongs()
                .setDescription("segments of the serving projection this process holds (the rest: other processes)")
                .buildWithCallback(m -> m.record(projections.serving().heldSegmentCount()));
        meter.gaugeBuilder("pql.scoring.alerts_pending").ofLongs()
                .setDescription("alerts journaled and not delivered yet (rate limit, retries), all subscriptions")
                .buildWithCallback(m -> m.record(alerts.totals()[1]));
        meter.gaugeBuilder("pql.scoring.alerts_parked").ofLongs()
                .setDescription("alerts given up after failing for alerts.parkAfter, all subscriptions")
                .buildWithCallback(m -> m.record(alerts.totals()[2]));
        meter.gaugeBuilder("pql.scoring.status_timers").ofLongs()
                .setDescription("accounts whose status may still change with time alone (decay, windows): timers armed")
                .buildWithCallback(m -> m.record(projections.serving().statusTimersPending()));
    }

    private static double shareDone(RescoreProgress p) {
        return p.eventsTotal() <= 0 ? 1.0 : Math.min(1.0, (double) p.eventsDone() / p.eventsTotal());
    }

    private static Attributes versionOf(RescoreProgress progress) {
        return Attributes.of(DEFINITION_VERSION, (long) progress.version());
    }

    /**
     * Dropwizard gauges on the admin port: events applied, lag (events and seconds), rescore
     * progress, alert deliveries, failed attempts and drops. Names in docs/OBSERVABILITY.md.
     */
    @Override
    public void registerMetrics(MetricRegistry metrics) {
        metrics.register("scoring.events-applied", (Gauge<Long>) () -> projections.serving().eventsApplied());
        metrics.register("scoring.events-skipped", (Gauge<Long>) () -> projections.serving().eventsSkipped());
        metrics.register("scoring.accounts", (Gauge<Integer>) () -> projections.serving().accountCount());
        metrics.register("scoring.status-timers", (Gauge<Integer>) () -> projections.serving().statusTimersPending());
        metrics.register("scoring.projection-lag", (Gauge<Long>) this::projectionLag);
        metrics.register("scoring.projection-lag-seconds", (Gauge<Long>) this::projectionLagSeconds);
        metrics.register("scoring.ready", (Gauge<Integer>) () -> projections.isReady() ? 1 : 0);
        metrics.register("scoring.segments-held", (Gauge<Integer>) () -> projections.serving().heldSegmentCount());
        metrics.register("scoring.serving-version", (Gauge<Integer>) projections::servingVersion);
        metrics.register("scoring.rescore.events-done", (Gauge<Long>) () -> projections.activeRescores().stream()
                .mapToLong(RescoreProgress::eventsDone).sum());
        metrics.register("scoring.rescore.events-total", (Gauge<Long>) () -> projections.activeRescores().stream()
                .mapToLong(RescoreProgress::eventsTotal).sum());
        metrics.register("scoring.rescore.active", (Gauge<Integer>) () -> projections.activeRescores().size());
        // the least advanced rescore's share, 0..1; 1 with none running
        metrics.register("scoring.rescore.progress", (Gauge<Double>) () -> projections.activeRescores().stream()
                .mapToDouble(ScoringModule::shareDone).min().orElse(1.0));
        metrics.register("scoring.rescore.events-per-second", (Gauge<Double>) () -> projections.activeRescores()
                .stream().mapToDouble(RescoreProgress::eventsPerSecond).sum());
        metrics.register("scoring.transitions.watchers", (Gauge<Integer>) hub::watchers);
        metrics.register("scoring.transitions.published", (Gauge<Long>) hub::published);
        metrics.register("scoring.alerts.delivered", (Gauge<Long>) () -> alerts.totals()[0]);
        metrics.register("scoring.alerts.pending", (Gauge<Long>) () -> alerts.totals()[1]);
        metrics.register("scoring.alerts.parked", (Gauge<Long>) () -> alerts.totals()[2]);
        metrics.register("scoring.alerts.summaries", (Gauge<Long>) () -> alerts.totals()[3]);
        metrics.register("scoring.alerts.failed-attempts", (Gauge<Long>) alerts::failedAttempts);
        metrics.register("scoring.alerts.summaries-dropped", (Gauge<Long>) alerts::summariesDropped);
    }

    public ProjectionRollout projections() {
        return projections;
    }

    /** known_at's snapshots by log position (tests, benchmarks). */
    public KnowledgeSnapshots knowledgeSnapshots() {
        return knowledgeSnapshots;
    }

    public ScoringProjection servingProjection() {
        return projections.serving();
    }

    public DefinitionRegistry registry() {
        return registry;
    }

    public TransitionHub transitions() {
        return hub;
    }

    @Override
    public void close() {
        maintenance.shutdownNow();
        knowledge.close();
        projections.close();
        knowledgeSnapshots.close();
        alerts.close();
        fanout.shutdownNow();
        sharing.close();
    }
}
