package pql.forecast.app;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pql.forecast.domain.AccountSnapshot;

/**
 * Each definition version's portfolio at scoring's evaluation instant (its clock, to the second).
 * The first request of an instant loads every account's score; later ones of the same instant ask
 * scoring only for accounts changed by events since the head position of the previous load
 * ({@code changed_after_position}) and merge them in. Once the clock moved on, every account may
 * have changed (decay, windows, trial ends), so the next request loads everything again. Scoring's
 * head position is taken when its stream starts, so an account changed while streaming comes again
 * next time, never zero times.
 *
 * <p>A refresh happens before serving unless the last one is younger than
 * {@code maxStalenessMillis} (0: always, so a forecast reflects every score scoring has).
 * Refreshes of one version are serialised; readers of a portfolio never wait on one another
 * (portfolios are immutable). The least recently used versions beyond {@code maxVersions} are
 * dropped.
 *
 * <p>As-of and known_at requests are never cached: the past is rebuilt by scoring on each request.
 */
public final class PortfolioCache {

    private final ScoresSource source;
    private final int maxVersions;
    private final long maxStalenessMillis;
    private final Clock clock;
    private final Map<Integer, VersionSlot> slots;

    public PortfolioCache(ScoresSource source, int maxVersions, long maxStalenessMillis, Clock clock) {
        if (maxVersions < 1) {
            throw new IllegalArgumentException("maxVersions must be >= 1");
        }
        this.source = source;
        this.maxVersions = maxVersions;
        this.maxStalenessMillis = maxStalenessMillis;
        this.clock = clock;
        this.slots = new LinkedHashMap<>(16, 0.75f, true);
    }

    private static final class VersionSlot {
        volatile Portfolio portfolio;
        volatile long refreshedAtMillis;
    }

    /** The version's portfolio, refreshed first if stale. */
    public Portfolio current(int version) {
        VersionSlot slot = slot(version);
        Portfolio known = slot.portfolio;
        if (known != null && clock.millis() - slot.refreshedAtMillis < maxStalenessMillis) {
            return known;
        }
        synchronized (slot) {
            Portfolio before = slot.portfolio;
            if (before != known && before != null && clock.millis() - slot.refreshedAtMillis < maxStalenessMillis) {
                return before; // refreshed by someone else meanwhile
            }
            long startedAt = clock.millis();
            Portfolio after = before == null ? load(version, null) : refresh(before);
            slot.portfolio = after;
            slot.refreshedAtMillis = startedAt;
            return after;
        }
    }

    /** A portfolio as of a past instant; never cached. */
    public Portfolio asOf(int version, long asOfEpochMillis) {
        return load(version, asOfEpochMillis);
    }

    /**
     * The portfolio as scoring knew it at {@code knownAtEpochMillis} (as of {@code asOfEpochMillis}, null:
     * scoring's default instant); never cached, and never served from the current one: the past must
     * not see what was recorded since. Its head position is the log position that knowledge includes.
     */
    public Portfolio known(int version, Long asOfEpochMillis, long knownAtEpochMillis) {
        List<AccountSnapshot> accounts = new ArrayList<>();
        try (ScoresSource.ScoreExport export = source.export(version, asOfEpochMillis, knownAtEpochMillis, 0)) {
            while (export.hasNext()) {
                accounts.addAll(export.next());
            }
            long evaluatedAt = export.asOfEpochMillis();
            return Portfolio.of(version, accounts, export.headPosition(), evaluatedAt != Long.MIN_VALUE ? evaluatedAt
                    : asOfEpochMillis != null ? asOfEpochMillis : clock.millis());
        }
    }

    private Portfolio load(int version, Long asOfEpochMillis) {
        List<AccountSnapshot> accounts = new ArrayList<>();
        long head;
        long evaluatedAt;
        try (ScoresSource.ScoreExport export = source.export(version, asOfEpochMillis, 0)) {
            while (export.hasNext()) {
                accounts.addAll(export.next());
            }
            head = export.headPosition();
            evaluatedAt = export.asOfEpochMillis();
        }
        return Portfolio.of(version, accounts, asOfEpochMillis == null ? head : 0,
                evaluatedAt != Long.MIN_VALUE ? evaluatedAt : asOfEpochMillis == null ? clock.millis() : asOfEpochMillis);
    }

    private Portfolio refresh(Portfolio before) {
        List<AccountSnapshot> changed = new ArrayList<>();
        long head;
        long evaluatedAt;
        try (ScoresSource.ScoreExport export = source.export(before.version(), null, before.headPosition())) {
            while (export.hasNext()) {
                changed.addAll(export.next());
            }
            head = export.headPosition();
            evaluatedAt = export.asOfEpochMillis();
        }
        // a head that went backwards means scoring rebuilt its projection, another instant that the
        // clock moved on: either way the accounts not sent changed too, so start over
        if (head < before.headPosition() || evaluatedAt != before.asOfMillis()) {
            return load(before.version(), null);
        }
        return before.merge(changed, head);
    }

    private synchronized VersionSlot slot(int version) {
        VersionSlot slot = slots.computeIfAbsent(version, v -> new VersionSlot());
        while (slots.size() > maxVersions) {
            Integer eldest = slots.keySet().iterator().next();
            slots.remove(eldest);
        }
        return slot;
    }

    /** Versions held now, least recently used first (for tests and health). */
    public synchronized List<Integer> cachedVersions() {
        return List.copyOf(slots.keySet());
    }
}
