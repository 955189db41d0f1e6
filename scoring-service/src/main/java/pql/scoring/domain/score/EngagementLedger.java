package pql.scoring.domain.score;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import pql.scoring.domain.definition.ActionDictionary;

/**
 * Engagement contributions of one account, in "anchored" units: each contribution is stored as
 * weight x quantity x 2^((t - anchor) / half-life), so the score at any instant is the sum divided
 * by 2^((asOf - anchor) / half-life) — exact decay with one power per evaluation instead of one per
 * event and instant. Without half-life the growth is 1 and points are plain weight x quantity.
 */
interface EngagementLedger {

    /** Records one action; {@code newest} is the account's newest event time after this event. */
    void add(long time, int actionId, int user, double quantity, double anchoredPoints, long newest);

    /** The account's newest event time moved forward: contributions that left the window expire. */
    void advance(long newest);

    /** Sum of anchored points counted as of {@code asOf} ({@code asOf >= newest}). */
    double anchoredScore(long asOf, long newest);

    /**
     * The first instant after {@code t} at which a contribution counted at {@code t} stops counting
     * (leaves the window); {@link Long#MAX_VALUE} when none ever does.
     */
    long nextExpiryAfter(long t);

    /** Per-action quantity and anchored points counted as of {@code asOf}. */
    List<ActionTotal> actionTotals(long asOf, long newest);

    /** Anchored points per user index (length {@code users}) counted as of {@code asOf}. */
    double[] userAnchoredScores(long asOf, long newest, int users);

    /** Multiplies every anchored value by 2^-k (exact: a change of anchor by k half-lives). */
    void rebase(int k);

    void writeTo(DataOutput out, ActionDictionary actions) throws IOException;

    /** Entries that outlived their use, counted by tests and the memory benchmark. */
    int entryCount();

    record ActionTotal(int actionId, double quantity, double anchoredPoints) {
    }

    static EngagementLedger create(long windowMillis) {
        return windowMillis > 0 ? new WindowedEngagementLedger(windowMillis) : new AllTimeEngagementLedger();
    }

    static EngagementLedger readFrom(DataInput in, long windowMillis, ActionDictionary actions) throws IOException {
        return windowMillis > 0 ? WindowedEngagementLedger.read(in, windowMillis, actions)
                : AllTimeEngagementLedger.read(in, actions);
    }
}
