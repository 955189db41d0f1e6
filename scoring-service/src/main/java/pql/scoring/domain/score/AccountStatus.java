package pql.scoring.domain.score;

import pql.scoring.domain.CommunicationLevel;
import pql.scoring.domain.Level;
import pql.scoring.domain.TransitionKind;
import pql.scoring.domain.definition.ScoringDefinition.Cutoffs;

/**
 * The stored status of an account (levels, PQL kinds, qualification): evaluated after each event, and
 * changed by time alone.
 *
 * <p>Changes of an account's status that no event causes: engagement decaying below a cutoff, a window
 * (engagement, communication, a behavioural trigger) letting go of what it counted. Without events the
 * status can only fall (every part of it is non-increasing in time, and qualification is kept), so the
 * first instant it differs from the stored one is found exactly by bisection; and it can only change at
 * a window expiry or a decay crossing, which gives a cheap lower bound for when to look again.
 *
 * <p>Works on the state's fields under its lock (all callers are {@link AccountState}'s synchronized
 * methods). Pure in the state and the instants asked: a replay asks at the same instants (before each
 * event, then up to the clock) and finds the same transitions.
 */
final class AccountStatus {

    private AccountStatus() {
    }

    /**
     * The status as of the newest event, after one was applied: the transition it caused, or null. At the
     * newest event, whatever time-driven changes were found before: an event older than those (a backfill)
     * rewinds the status, and the clock finds them again from there.
     */
    static PqlTransition afterEvent(AccountState state, long at, long position) {
        int kindsBefore = state.kindsMask;
        boolean pqlBefore = state.pql;
        Level activationBefore = state.activationLevel;
        Level engagementBefore = state.engagementLevel;
        CommunicationLevel communicationBefore = state.communicationLevel;
        long instant = state.newest;
        evaluateLevels(state, instant);
        int kindsAfter = state.kindsAt(instant, state.activationRate());
        state.kindsMask = kindsAfter;
        if (kindsAfter != 0 && state.qualifiedAt == AccountState.NONE) {
            state.qualifiedAt = at;
        }
        boolean pqlAfter = state.isPql(kindsAfter);
        state.pql = pqlAfter;
        state.statusAt = instant;
        // Without a change of status, an event in order only adds points, counts and newer window entries:
        // the next possible change moves later, so the bound found before still holds (and costs nothing).
        if (state.nextStatusCheck <= instant || !state.arrivedInOrder || kindsBefore != kindsAfter
                || pqlBefore != pqlAfter || activationBefore != state.activationLevel
                || engagementBefore != state.engagementLevel || communicationBefore != state.communicationLevel) {
            state.nextStatusCheck = nextPossibleChange(state, instant);
        }
        TransitionKind kind;
        if (!pqlBefore && pqlAfter) {
            kind = TransitionKind.BECAME_PQL;
        } else if (pqlBefore && !pqlAfter) {
            kind = TransitionKind.NO_LONGER_PQL;
        } else if (kindsBefore != kindsAfter) {
            kind = TransitionKind.KINDS_CHANGED;
        } else if (activationBefore != null && (activationBefore != state.activationLevel
                || engagementBefore != state.engagementLevel || communicationBefore != state.communicationLevel)) {
            kind = TransitionKind.LEVELS_CHANGED;
        } else {
            return null;
        }
        return new PqlTransition(state.accountId(), kind, state.definition().version(), at, position, kindsBefore,
                kindsAfter, state.activationLevel, state.engagementLevel, state.communicationLevel, activationBefore,
                engagementBefore, communicationBefore, state.name, state.owner, state.activationRate(),
                state.engagementScore, state.isClosed() ? state.outcome : null, false);
    }

    /**
     * Levels as of {@code instant}. Fields are written only when a level changes: a reference store into
     * an old object dirties a card the garbage collector scans at every young collection, and with 100k
     * accounts touched between collections that scan would cost more than applying the events.
     */
    private static void evaluateLevels(AccountState state, long instant) {
        var levels = state.definition().definition().levels();
        double rate = state.activationRate();
        state.engagementScore = state.engagementScoreAt(instant);
        Level activation = AccountState.levelOf(rate, levels.activation());
        if (activation != state.activationLevel) {
            state.activationLevel = activation;
        }
        Level engagement = AccountState.levelOf(state.engagementScore, levels.engagement());
        if (engagement != state.engagementLevel) {
            state.engagementLevel = engagement;
        }
        int active = instant == state.newest ? state.communication.activeCountAtNewest()
                : AccountState.activeCount(state.communicationCounts(instant));
        CommunicationLevel communication = active >= state.definition().definition().communication().activeThreshold()
                ? CommunicationLevel.ACTIVE : CommunicationLevel.LOW;
        if (communication != state.communicationLevel) {
            state.communicationLevel = communication;
        }
    }

    /** The instant the stored status describes. */
    static long statusInstant(AccountState state) {
        return Math.max(state.newest, state.statusAt);
    }

    /**
     * A lower bound of the first instant after {@code t} at which the status can change without an event;
     * {@link Long#MAX_VALUE} when it never can. Never {@code <= t}.
     */
    static long nextPossibleChange(AccountState state, long t) {
        long next = Long.MAX_VALUE;
        var definition = state.definition().definition();
        if (state.engagementLevel != null && state.engagementLevel != Level.LOW) {
            next = Math.min(next, state.ledger.nextExpiryAfter(t));
            next = Math.min(next, decayCrossing(state, t, definition.levels().engagement()));
        }
        if (state.communicationLevel == CommunicationLevel.ACTIVE) {
            next = Math.min(next, state.communication.nextExpiryAfter(t));
        }
        if (state.kindsMask != 0) {
            for (WindowedCounter counter : state.triggerWindows) {
                if (counter != null) {
                    next = Math.min(next, counter.nextExpiryAfter(t));
                }
            }
        }
        return next == Long.MAX_VALUE ? next : Math.max(next, t + 1);
    }

    /** When pure decay takes the engagement score below the cutoff under its level; MAX_VALUE without decay. */
    private static long decayCrossing(AccountState state, long t, Cutoffs cutoffs) {
        long halfLife = state.definition().halfLifeMillis();
        if (halfLife == 0) {
            return Long.MAX_VALUE;
        }
        double score = state.engagementScoreAt(t);
        double cutoff = state.engagementLevel == Level.HIGH ? cutoffs.high() : cutoffs.medium();
        if (score < cutoff) {
            return t + 1;
        }
        if (cutoff <= 0) {
            return Long.MAX_VALUE;
        }
        double halfLives = Math.log(score / cutoff) / Math.log(2);
        // a little early rather than late: bisection finds the exact millisecond
        return t + Math.max(1, (long) Math.floor(halfLives * halfLife * 0.999));
    }

    /**
     * The first time-driven transition after the stored status and at or before {@code until}, applied to
     * the stored status; null when the status holds until then.
     */
    static PqlTransition advance(AccountState state, long until) {
        long from = statusInstant(state);
        if (until <= from || state.activationLevel == null) {
            return null;
        }
        if (state.nextStatusCheck > until && state.nextStatusCheck > from) {
            return null;
        }
        if (!differs(state, until)) {
            state.nextStatusCheck = nextPossibleChange(state, until);
            return null;
        }
        long low = from; // status as stored
        long high = until; // status differs
        while (high - low > 1) {
            long mid = low + (high - low) / 2;
            if (differs(state, mid)) {
                high = mid;
            } else {
                low = mid;
            }
        }
        return changeAt(state, high);
    }

    private static boolean differs(AccountState state, long t) {
        double rate = state.activationRate();
        Cutoffs engagement = state.definition().definition().levels().engagement();
        if (AccountState.levelOf(state.engagementScoreAt(t), engagement) != state.engagementLevel) {
            return true;
        }
        if (state.communicationLevelOf(state.communicationCounts(t)) != state.communicationLevel) {
            return true;
        }
        return state.kindsAt(t, rate) != state.kindsMask;
    }

    private static PqlTransition changeAt(AccountState state, long t) {
        int kindsBefore = state.kindsMask;
        boolean pqlBefore = state.pql;
        Level engagementBefore = state.engagementLevel;
        CommunicationLevel communicationBefore = state.communicationLevel;
        double rate = state.activationRate();
        state.engagementScore = state.engagementScoreAt(t);
        state.engagementLevel = AccountState.levelOf(state.engagementScore,
                state.definition().definition().levels().engagement());
        state.communicationLevel = state.communicationLevelOf(state.communicationCounts(t));
        state.kindsMask = state.kindsAt(t, rate);
        state.pql = state.isPql(state.kindsMask);
        state.statusAt = t;
        state.nextStatusCheck = nextPossibleChange(state, t);
        TransitionKind kind;
        if (pqlBefore && !state.pql) {
            kind = TransitionKind.NO_LONGER_PQL;
        } else if (kindsBefore != state.kindsMask) {
            kind = TransitionKind.KINDS_CHANGED;
        } else {
            kind = TransitionKind.LEVELS_CHANGED;
        }
        return new PqlTransition(state.accountId(), kind, state.definition().version(), t, state.logPosition, kindsBefore,
                state.kindsMask, state.activationLevel, state.engagementLevel, state.communicationLevel,
                state.activationLevel, engagementBefore, communicationBefore, state.name, state.owner, rate,
                state.engagementScore, null, true);
    }
}
