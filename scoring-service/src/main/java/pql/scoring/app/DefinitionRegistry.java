package pql.scoring.app;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.domain.definition.ScoringDefinition;

/**
 * The published definition versions and which one is active, folded from the definitions stream.
 * Versions are numbered here (1, 2, 3...) with optimistic concurrency on the stream, so two
 * instances publishing at once cannot both get the same number.
 */
public final class DefinitionRegistry {

    public static final String SYSTEM = "system";
    private static final int ATTEMPTS = 5;

    private final DefinitionLog log;
    private final Clock clock;
    private final TreeMap<Integer, DefinitionRecord> versions = new TreeMap<>();
    private long streamVersion = -1;
    private int activeVersion;

    public DefinitionRegistry(DefinitionLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /** On first start (no definition yet): publishes the INTERMEDIATE preset as version 1 and activates it. */
    public synchronized void ensureInitialized() {
        refresh();
        if (!versions.isEmpty()) {
            return;
        }
        long now = clock.millis();
        ScoringDefinition preset = DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE);
        boolean appended = log.append(-1, List.of(
                new DefinitionLog.Published(0, now, 1, preset, SYSTEM),
                new DefinitionLog.Activated(0, now, 1, SYSTEM)));
        refresh();
        if (!appended && versions.isEmpty()) {
            throw new IllegalStateException("could not initialise the definitions stream");
        }
    }

    /** Reads what was appended since the last look (by this or another instance). */
    public synchronized void refresh() {
        for (DefinitionLog.Entry entry : log.readFrom(streamVersion + 1)) {
            if (entry instanceof DefinitionLog.Published published) {
                versions.put(published.version(), new DefinitionRecord(published.version(), published.definition(),
                        published.at(), published.publishedBy(), Long.MIN_VALUE, null));
            } else if (entry instanceof DefinitionLog.Activated activated) {
                DefinitionRecord record = versions.get(activated.version());
                if (record != null) {
                    versions.put(activated.version(), record.activated(activated.at(), activated.activatedBy()));
                    activeVersion = activated.version();
                }
            }
            streamVersion = entry.streamVersion();
        }
    }

    /** Publishes a validated definition as the next version. */
    public synchronized DefinitionRecord publish(ScoringDefinition definition, String publishedBy) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            refresh();
            int version = versions.isEmpty() ? 1 : versions.lastKey() + 1;
            if (log.append(streamVersion, List.of(new DefinitionLog.Published(0, clock.millis(), version, definition,
                    publishedBy)))) {
                refresh();
                return versions.get(version);
            }
        }
        throw new ScoringException.ResourceExhausted("the definitions stream is too busy; retry");
    }

    /** Records that {@code version} is the active one now. */
    public synchronized DefinitionRecord activate(int version, String activatedBy) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            refresh();
            if (!versions.containsKey(version)) {
                throw new ScoringException.NotFound("definition version " + version + " does not exist");
            }
            if (log.append(streamVersion, List.of(new DefinitionLog.Activated(0, clock.millis(), version,
                    activatedBy)))) {
                refresh();
                return versions.get(version);
            }
        }
        throw new ScoringException.ResourceExhausted("the definitions stream is too busy; retry");
    }

    public synchronized Optional<DefinitionRecord> get(int version) {
        return Optional.ofNullable(versions.get(version));
    }

    /** 0 when nothing was activated yet. */
    public synchronized int activeVersion() {
        return activeVersion;
    }

    public synchronized DefinitionRecord active() {
        DefinitionRecord record = versions.get(activeVersion);
        if (record == null) {
            throw new ScoringException.FailedPrecondition("no definition is active");
        }
        return record;
    }

    /** Newest first. */
    public synchronized List<DefinitionRecord> all() {
        List<DefinitionRecord> all = new ArrayList<>(versions.values());
        all.sort(Comparator.comparingInt(DefinitionRecord::version).reversed());
        return all;
    }
}
