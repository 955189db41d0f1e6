package pql.scoring.app;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.score.AccountSummary;

/**
 * The rollout of definition versions over {@link ScoringProjection}s: which one serves, and the
 * rescores beside it. Publish v(N+1), replay the whole log into a shadow projection while v(N) keeps
 * serving, report progress, diff, then promote (the shadow serves at once) or discard.
 *
 * <p>Rollback: a promotion keeps the projection it replaces running (following live events, without
 * alerting) for the last {@code keepRetired} retired versions, so promoting one of those back is as
 * quick as the promotion was, and forecasts can still compare against it. An older version is
 * rescored again first (the caller shows the progress). Kept projections live as long as the process.
 */
public final class ProjectionRollout implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionRollout.class);

    private final DefinitionRegistry registry;
    private final ProjectionEngine engine;
    private final TransitionListener transitions;
    private volatile AlertSink alerts;
    private final Clock clock;
    private final int maxConcurrentRescores;
    private final int keepRetired;
    private final Map<Integer, CompiledDefinition> compiled = new ConcurrentHashMap<>();
    private final Map<Integer, Rescore> rescores = new ConcurrentHashMap<>();
    private final Map<Integer, RescoreProgress> finished = new ConcurrentHashMap<>();
    /** Retired versions whose projection still follows the log, oldest retirement first. */
    private final Map<Integer, Rescore> retired = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    private volatile Serving serving;
    /** Told of every durable projection before it starts (known_at: snapshots by log position). */
    private volatile java.util.function.Consumer<ScoringProjection> observer = projection -> { };

    private record Serving(ScoringProjection projection, ProjectionEngine.Running running, ProjectionReadiness readiness) {
    }

    public ProjectionRollout(DefinitionRegistry registry, ProjectionEngine engine, TransitionListener transitions,
            Clock clock, int maxConcurrentRescores) {
        this(registry, engine, transitions, clock, maxConcurrentRescores, 1);
    }

    /** @param keepRetired how many retired versions keep their projection for a rollback (0: none) */
    public ProjectionRollout(DefinitionRegistry registry, ProjectionEngine engine, TransitionListener transitions,
            Clock clock, int maxConcurrentRescores, int keepRetired) {
        if (keepRetired < 0) {
            throw new IllegalArgumentException("keepRetired must be >= 0, was " + keepRetired);
        }
        this.keepRetired = keepRetired;
        this.registry = registry;
        this.engine = engine;
        this.transitions = transitions;
        this.clock = clock;
        this.maxConcurrentRescores = maxConcurrentRescores;
    }

    /**
     * Where the serving projection's transitions go for alerts, history included (call before
     * {@link #start}); a rescore's shadow is not alerted until it is promoted.
     */
    public void alertTo(AlertSink sink) {
        this.alerts = sink;
    }

    /** {@code observer} sees each serving or shadow projection before it is started (call before {@link #start}). */
    public void observeProjections(java.util.function.Consumer<ScoringProjection> observer) {
        this.observer = observer;
    }

    /** Publishes the default definition on first start, then starts the active version's projection. */
    public synchronized void start() {
        registry.ensureInitialized();
        DefinitionRecord active = registry.active();
        String name = ProjectionEngine.nameOf(active.version());
        for (String stale : engine.remembered()) {
            if (!stale.equals(name)) {
                // shadows live only as long as their process; their checkpoints are of no further use
                engine.forget(stale);
            }
        }
        ScoringProjection projection = new ScoringProjection(compiled(active.version()));
        long head = engine.headPosition();
        // history replayed at start-up is not news: alert only on events appended from now on
        projection.publishTransitions(transitions, head);
        projection.alertTo(alerts);
        observer.accept(projection);
        // reads wait until every segment is back and has applied the log up to where it stood now
        serving = new Serving(projection, engine.start(projection, name, ProjectionEngine.Mode.DURABLE),
                new ProjectionReadiness(projection, head));
        LOG.info("serving definition v{}", active.version());
    }

    public CompiledDefinition compiled(int version) {
        return compiled.computeIfAbsent(version, v -> new CompiledDefinition(v, registry.get(v)
                .orElseThrow(() -> new ScoringException.NotFound("definition version " + v + " does not exist"))
                .definition()));
    }

    public ScoringProjection serving() {
        Serving current = serving;
        if (current == null) {
            throw new ScoringException.FailedPrecondition("the scoring projection is not started");
        }
        return current.projection();
    }

    /** Whether the serving projection answers reads yet: one volatile read once it does. */
    public boolean isReady() {
        Serving current = serving;
        return current != null && current.readiness().isReady();
    }

    /** Where the serving projection's readiness stands, with its explanation. */
    public ProjectionReadiness.Status readiness() {
        Serving current = serving;
        return current == null ? new ProjectionReadiness.Status(false, "the scoring projection is not started")
                : current.readiness().check();
    }

    public int servingVersion() {
        return serving().version();
    }

    /** {@code version} itself, or the serving version for 0; NOT_FOUND when unknown. */
    public int resolve(int version) {
        if (version == 0) {
            return servingVersion();
        }
        registry.refresh();
        if (registry.get(version).isEmpty()) {
            throw new ScoringException.NotFound("definition version " + version + " does not exist");
        }
        return version;
    }

    /** The in-memory projection of a version: the serving one, or a shadow that caught up. */
    public Optional<ScoringProjection> materialized(int version) {
        ScoringProjection current = serving();
        if (current.version() == version) {
            return Optional.of(current);
        }
        Rescore rescore = rescores.get(version);
        if (rescore != null && rescore.checkCaughtUp(clock.millis())) {
            return Optional.of(rescore.projection);
        }
        Rescore kept = retired.get(version);
        return kept == null ? Optional.empty() : Optional.of(kept.projection);
    }

    public DefinitionStatus statusOf(DefinitionRecord record) {
        if (serving != null && record.version() == servingVersion()) {
            return DefinitionStatus.ACTIVE;
        }
        Rescore rescore = rescores.get(record.version());
        if (rescore != null) {
            return rescore.checkCaughtUp(clock.millis()) ? DefinitionStatus.READY : DefinitionStatus.REPLAYING;
        }
        return record.everActivated() ? DefinitionStatus.RETIRED : DefinitionStatus.PUBLISHED;
    }

    public synchronized RescoreProgress startRescore(int version) {
        DefinitionRecord record = registry.get(version).orElseThrow(
                () -> new ScoringException.NotFound("definition version " + version + " does not exist"));
        if (version == servingVersion()) {
            throw new ScoringException.FailedPrecondition("version " + version + " is active: nothing to rescore");
        }
        if (rescores.containsKey(version)) {
            throw new ScoringException.FailedPrecondition("version " + version + " is already "
                    + statusOf(record).name().toLowerCase());
        }
        if (retired.containsKey(version)) {
            throw new ScoringException.FailedPrecondition("version " + version
                    + " is retired and its projection kept up to date: promote it directly");
        }
        if (rescores.size() >= maxConcurrentRescores) {
            throw new ScoringException.FailedPrecondition("another rescore is running (versions " + rescores.keySet()
                    + "); discard or promote it first");
        }
        ScoringProjection shadow = new ScoringProjection(compiled(version));
        long head = engine.headPosition();
        String name = ProjectionEngine.nameOf(version);
        engine.forget(name);
        observer.accept(shadow);
        ProjectionEngine.Running running = engine.start(shadow, name, ProjectionEngine.Mode.DURABLE);
        Rescore rescore = new Rescore(version, shadow, running, clock.millis(), head);
        rescores.put(version, rescore);
        finished.remove(version);
        LOG.info("rescoring v{} over {} events", version, head);
        return rescore.progress(clock.millis(), DefinitionStatus.REPLAYING);
    }

    public RescoreProgress rescoreProgress(int version) {
        DefinitionRecord record = registry.get(version).orElseThrow(
                () -> new ScoringException.NotFound("definition version " + version + " does not exist"));
        Rescore rescore = rescores.get(version);
        if (rescore != null) {
            return rescore.progress(clock.millis(), statusOf(record));
        }
        RescoreProgress last = finished.get(version);
        DefinitionStatus status = statusOf(record);
        Rescore kept = retired.get(version);
        if (kept != null && last == null) {
            last = kept.progress(clock.millis(), status);
        }
        if (last != null) {
            return new RescoreProgress(version, status, last.eventsDone(), last.eventsTotal(), last.eventsPerSecond(),
                    0, last.startedAtMillis(), last.caughtUpAtMillis());
        }
        return new RescoreProgress(version, status, 0, 0, 0, 0, Long.MIN_VALUE, Long.MIN_VALUE);
    }

    private DefinitionRecord record(int version) {
        return registry.get(version).orElseThrow(
                () -> new ScoringException.NotFound("definition version " + version + " does not exist"));
    }

    private Rescore readyRescore(int version) {
        record(version);
        Rescore rescore = rescores.get(version);
        if (rescore == null) {
            rescore = retired.get(version);
        }
        if (rescore == null) {
            throw new ScoringException.FailedPrecondition("version " + version + " has no rescore; start one first"
                    + (record(version).everActivated() ? " (its projection was not kept since its retirement)" : ""));
        }
        if (!rescore.checkCaughtUp(clock.millis())) {
            RescoreProgress progress = rescore.progress(clock.millis(), DefinitionStatus.REPLAYING);
            throw new ScoringException.FailedPrecondition("the rescore of version " + version + " is still replaying ("
                    + progress.eventsDone() + " of " + progress.eventsTotal() + " events)");
        }
        return rescore;
    }

    public RescoreDiff diff(int version, int pageSize, String afterAccountId) {
        Rescore rescore = readyRescore(version);
        ScoringProjection baseline = serving();
        // both versions at the same instant: the diff shows what the definition changes, not the clock
        long instant = clock.millis();
        Map<String, AccountSummary> before = byAccount(baseline.viewAt(instant).summaries());
        Map<String, AccountSummary> after = byAccount(rescore.projection.viewAt(instant).summaries());
        TreeSet<String> ids = new TreeSet<>(before.keySet());
        ids.addAll(after.keySet());
        long changed = 0;
        long gained = 0;
        long lost = 0;
        List<RescoreDiff.Change> page = new ArrayList<>();
        String next = null;
        for (String id : ids) {
            AccountSummary was = before.get(id);
            AccountSummary now = after.get(id);
            if (!differs(was, now)) {
                continue;
            }
            changed++;
            boolean pqlBefore = was != null && was.isPql();
            boolean pqlAfter = now != null && now.isPql();
            if (!pqlBefore && pqlAfter) {
                gained++;
            } else if (pqlBefore && !pqlAfter) {
                lost++;
            }
            if (afterAccountId != null && id.compareTo(afterAccountId) <= 0) {
                continue;
            }
            if (page.size() < pageSize) {
                page.add(new RescoreDiff.Change(id, was, now));
            } else if (next == null) {
                next = page.get(page.size() - 1).accountId();
            }
        }
        return new RescoreDiff(baseline.version(), version, ids.size(), changed, gained, lost, page, next);
    }

    private static boolean differs(AccountSummary before, AccountSummary after) {
        if (before == null || after == null) {
            return true;
        }
        return before.kindsMask() != after.kindsMask()
                || before.activationLevel() != after.activationLevel()
                || before.engagementLevel() != after.engagementLevel()
                || before.communicationLevel() != after.communicationLevel();
    }

    private static Map<String, AccountSummary> byAccount(List<AccountSummary> summaries) {
        Map<String, AccountSummary> map = new HashMap<>(summaries.size() * 2);
        summaries.forEach(s -> map.put(s.accountId(), s));
        return map;
    }

    /**
     * The rescored (or kept retired) version serves from now on; the previous one keeps following the
     * log for a rollback when {@code keepRetired} allows, else it is stopped and forgotten.
     */
    public synchronized DefinitionRecord promote(int version, String promotedBy) {
        Rescore rescore = readyRescore(version);
        DefinitionRecord record = registry.activate(version, promotedBy);
        Serving previous = serving;
        long caughtUpTo = rescore.projection.processedPosition();
        rescore.projection.publishTransitions(transitions, caughtUpTo);
        rescore.projection.alertTo(alerts);
        serving = new Serving(rescore.projection, rescore.running, new ProjectionReadiness(rescore.projection, caughtUpTo));
        rescores.remove(version);
        retired.remove(version);
        finished.put(version, rescore.progress(clock.millis(), DefinitionStatus.ACTIVE));
        previous.projection().publishTransitions(null, Long.MAX_VALUE);
        previous.projection().alertTo(null);
        keepForRollback(previous);
        LOG.info("promoted definition v{} (was v{})", version, previous.projection().version());
        return record;
    }

    private void keepForRollback(Serving previous) {
        int version = previous.projection().version();
        // a retired version's progress reports events only while its projection is kept (clients tell a rollback by it)
        finished.remove(version);
        if (keepRetired == 0) {
            previous.running().discard();
            return;
        }
        long now = clock.millis();
        Rescore kept = new Rescore(version, previous.projection(), previous.running(), now, previous.projection().processedPosition());
        kept.checkCaughtUp(now);
        retired.put(version, kept);
        synchronized (retired) {
            while (retired.size() > keepRetired) {
                Integer oldest = retired.keySet().iterator().next();
                retired.remove(oldest).running.discard();
                LOG.info("no longer keeping retired definition v{} (keepRetired = {})", oldest, keepRetired);
            }
        }
    }

    public synchronized RescoreProgress discard(int version) {
        DefinitionRecord record = registry.get(version).orElseThrow(
                () -> new ScoringException.NotFound("definition version " + version + " does not exist"));
        Rescore rescore = rescores.remove(version);
        if (rescore == null) {
            rescore = retired.remove(version);
        }
        if (rescore == null) {
            throw new ScoringException.FailedPrecondition("version " + version + " has no rescore to discard");
        }
        RescoreProgress progress = rescore.progress(clock.millis(), DefinitionStatus.PUBLISHED);
        rescore.running.discard();
        return new RescoreProgress(version, statusOf(record), progress.eventsDone(), progress.eventsTotal(),
                progress.eventsPerSecond(), 0, progress.startedAtMillis(), progress.caughtUpAtMillis());
    }

    /**
     * Periodic upkeep of the projections that serve reads (once caught up with the log): time-driven
     * changes due by now, the view of this second; READY detection of rescores.
     */
    public void maintain() {
        long now = clock.millis();
        long instant = ProjectionView.secondOf(now);
        Serving current = serving;
        if (current != null && current.projection().caughtUpSinceServing()) {
            current.projection().applyStatusTimers(now);
            current.projection().viewAt(instant);
        }
        for (Rescore rescore : rescores.values()) {
            if (rescore.checkCaughtUp(now)) {
                rescore.projection.applyStatusTimers(now);
                rescore.projection.viewAt(instant);
            }
        }
        for (Rescore kept : List.copyOf(retired.values())) {
            kept.projection.applyStatusTimers(now);
            kept.projection.viewAt(instant);
        }
    }

    /** Rescores running now, for metrics. */
    public List<RescoreProgress> activeRescores() {
        List<RescoreProgress> all = new ArrayList<>();
        for (Rescore rescore : rescores.values()) {
            all.add(rescore.progress(clock.millis(), rescore.checkCaughtUp(clock.millis())
                    ? DefinitionStatus.READY : DefinitionStatus.REPLAYING));
        }
        return all;
    }

    @Override
    public synchronized void close() {
        for (Rescore rescore : rescores.values()) {
            rescore.running.discard();
        }
        rescores.clear();
        for (Rescore kept : List.copyOf(retired.values())) {
            kept.running.discard();
        }
        retired.clear();
        if (serving != null) {
            serving.running().stop();
            serving = null;
        }
    }
}
