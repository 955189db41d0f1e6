package pql.scoring.domain.score;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import pql.scoring.domain.CommunicationLevel;
import pql.scoring.domain.Fit;
import pql.scoring.domain.Level;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.OutcomeKind;
import pql.scoring.domain.Persona;
import pql.scoring.domain.PersonaRule;
import pql.scoring.domain.Plan;
import pql.scoring.domain.PqlKind;
import pql.scoring.domain.TransitionKind;
import pql.scoring.domain.backtest.ClosedTrial;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.definition.ScoringDefinition.Cutoffs;
import pql.scoring.domain.event.AccountEvent;

/**
 * Everything scoring keeps about one account under one definition, folded from its events in log
 * order. Compact by design (primitive arrays indexed by step, trigger, user and action id) so that
 * 100k accounts fit well under a gigabyte.
 *
 * <p>Deterministic: the state depends only on the events and their order, never on the wall clock
 * or on which thread applied them, and every floating-point step is reproducible (decay uses
 * {@link Exp2}, plain double arithmetic; rebasing is an exact power of two). So the same history under the same
 * definition yields bit-identical scores, live, replayed or restored from a snapshot.
 *
 * <p>Thread-safety: one projection thread applies events, readers evaluate; both synchronize on the
 * state (uncontended in practice).
 */
public final class AccountState {

    static final long NONE = Long.MIN_VALUE;
    private static final int REBASE_AFTER_HALF_LIVES = 512;
    private static final long DAY = CompiledDefinition.DAY_MILLIS;
    private static final String ANONYMOUS = "(anonymous)";
    private static final byte[] ANONYMOUS_KEY = ANONYMOUS.getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final CompiledDefinition definition;
    private final String accountId;
    private final int streamHash;

    // The folded state below is package-private for the two classes that read all of it, both in this
    // package: ScoreEvaluator (under the state's lock) and AccountStateCodec (which writes it under the
    // lock and restores it into a state no other thread holds yet). Only the apply methods change it.

    // profile: the latest value of each field
    String name;
    Long dealSizeMicros;
    String currency;
    OpportunitySize explicitSize;
    String owner;
    Plan plan;
    long trialStart = NONE;
    long trialEnd = NONE;
    Fit fit;

    long firstSeen = NONE;
    long newest = NONE;
    long eventsApplied;
    long logPosition;

    UserTable users;
    final double[] stepCounts;
    final long[] stepDoneAt;
    final int[] stepDoneBy;
    int stepsDone;

    EngagementLedger ledger;
    long anchor = NONE;
    private long growthAt = NONE;
    private double growthValue = 1;

    final double[] triggerTotals;
    final WindowedCounter[] triggerWindows;
    CommunicationWindow communication;

    long handRaisedAt = NONE;
    String handRaisedBy;
    long limitReachedAt = NONE;
    String limitName;
    double limitUsage;
    double limitValue;
    int limitsReached;

    long convertedAt = NONE;
    boolean convertedWithSalesTouch;
    long lostAt = NONE;
    long churnedAt = NONE;
    OutcomeKind outcome;
    long outcomeAt = NONE;
    long outcomeAmountMicros;
    String outcomeCurrency;
    boolean outcomeSalesTouched;
    Level outcomeActivationLevel;
    Level outcomeEngagementLevel;
    CommunicationLevel outcomeCommunicationLevel;

    // the status as of statusAt (the newest event, or the last time-driven change after it), kept to
    // detect transitions; see AccountStatus
    long qualifiedAt = NONE;
    int kindsMask;
    /** {@link #isPql} as of the newest event; restored from the fields it derives from. */
    boolean pql;
    Level activationLevel;
    Level engagementLevel;
    CommunicationLevel communicationLevel;
    double engagementScore;
    /** The instant the status above describes when a time-driven change moved it past the newest event. */
    long statusAt = NONE;
    /** Not persisted: a lower bound of the next time-driven change (MIN_VALUE: not computed yet). */
    long nextStatusCheck = Long.MIN_VALUE;
    /** Not persisted: whether the event being applied is not older than the newest before it. */
    boolean arrivedInOrder;
    /** Not persisted: when a status timer of this account is due (MAX_VALUE: none pending). */
    private long scheduledAt = Long.MAX_VALUE;

    /**
     * @param streamHash hash of the account's stream id, kept so that segment membership can be
     *     tested without rebuilding the stream id
     */
    public AccountState(CompiledDefinition definition, String accountId, int streamHash) {
        this.definition = definition;
        this.accountId = accountId;
        this.streamHash = streamHash;
        int steps = definition.stepCount();
        this.users = new UserTable(steps);
        this.stepCounts = new double[steps];
        this.stepDoneAt = new long[steps];
        this.stepDoneBy = new int[steps];
        java.util.Arrays.fill(stepDoneAt, NONE);
        java.util.Arrays.fill(stepDoneBy, -1);
        this.ledger = EngagementLedger.create(definition.engagementWindowMillis());
        int triggers = definition.triggerCount();
        this.triggerTotals = new double[triggers];
        this.triggerWindows = new WindowedCounter[triggers];
        for (int i = 0; i < triggers; i++) {
            if (definition.triggerWindowMillis(i) > 0) {
                triggerWindows[i] = new WindowedCounter(definition.triggerWindowMillis(i));
            }
        }
        this.communication = new CommunicationWindow(definition.communicationWindowMillis());
    }

    public String accountId() {
        return accountId;
    }

    public int streamHash() {
        return streamHash;
    }

    public CompiledDefinition definition() {
        return definition;
    }

    /**
     * Applies one event (event time {@code at}, epoch ms; global log position {@code position}) and
     * returns the transition it caused, or null.
     */
    public synchronized PqlTransition apply(AccountEvent event, long at, long position) {
        arrive(at, position);
        if (event instanceof AccountEvent.ActionPerformed action) {
            onAction(users.indexOf(userKey(action.userId())), definition.actionId(action.action()), action.quantity(),
                    at);
        } else if (event instanceof AccountEvent.Profiled profiled) {
            onProfiled(profiled);
        } else if (event instanceof AccountEvent.UserIdentified identified) {
            int user = users.indexOf(userKey(identified.userId()));
            if (identified.email() != null && !identified.email().isEmpty()) {
                users.setEmail(user, identified.email());
            }
        } else if (event instanceof AccountEvent.Communicated communicated) {
            communication.add(at, CommunicationWindow.flagsOf(communicated.direction(), communicated.responded(),
                    communicated.sentiment()), newest);
        } else if (event instanceof AccountEvent.SalesAssistanceRequested request) {
            if (handRaisedAt == NONE) {
                handRaisedAt = at;
                handRaisedBy = emptyToNull(request.userId());
            }
        } else if (event instanceof AccountEvent.PlanLimitReached limit) {
            limitsReached++;
            if (limitReachedAt == NONE) {
                limitReachedAt = at;
                limitName = limit.limit();
                limitUsage = limit.usage();
                limitValue = limit.limitValue();
            }
        } else if (event instanceof AccountEvent.OutcomeRecorded recorded) {
            onOutcome(recorded, at);
        }
        return AccountStatus.afterEvent(this, at, position);
    }

    /**
     * Applies a product action given by its parts rather than as an {@link AccountEvent}: the bulk of the
     * traffic, decoded without a String or an object per event. Same result as
     * {@code apply(new ActionPerformed(userId, actionName, quantity), at, position)}.
     *
     * @param userId the user id's UTF-8 bytes at {@code offset}, {@code length} long (0: no user given)
     * @param actionId the action's id in the definition's {@link pql.scoring.domain.definition.ActionDictionary}
     */
    public synchronized PqlTransition applyAction(byte[] userId, int offset, int length, int actionId, double quantity,
            long at, long position) {
        arrive(at, position);
        int user = length == 0 ? users.indexOf(ANONYMOUS_KEY, 0, ANONYMOUS_KEY.length)
                : users.indexOf(userId, offset, length);
        onAction(user, actionId, quantity, at);
        return AccountStatus.afterEvent(this, at, position);
    }

    private void arrive(long at, long position) {
        arrivedInOrder = newest == NONE || at >= newest;
        if (firstSeen == NONE || at < firstSeen) {
            firstSeen = at;
        }
        if (newest == NONE || at > newest) {
            newest = at;
            advanceWindows();
        }
        eventsApplied++;
        logPosition = Math.max(logPosition, position);
    }

    private void onProfiled(AccountEvent.Profiled profiled) {
        if (profiled.name() != null) {
            name = profiled.name();
        }
        if (profiled.dealSizeMicros() != null) {
            dealSizeMicros = profiled.dealSizeMicros();
            currency = profiled.currency();
        }
        if (profiled.opportunitySize() != null) {
            explicitSize = profiled.opportunitySize();
        }
        if (profiled.owner() != null) {
            owner = profiled.owner();
        }
        if (profiled.plan() != null) {
            plan = profiled.plan();
        }
        if (profiled.trialStart() != null) {
            trialStart = profiled.trialStart();
        }
        if (profiled.trialEnd() != null) {
            trialEnd = profiled.trialEnd();
        }
        if (profiled.fit() != null) {
            fit = profiled.fit();
        }
    }

    private void onAction(int user, int actionId, double quantity, long at) {
        users.markActive(user, at);
        for (int step : definition.stepsOf(actionId)) {
            users.addToStep(user, step, quantity);
            double min = definition.stepMinCount(step);
            boolean wasDone = stepCounts[step] >= min;
            stepCounts[step] += quantity;
            if (!wasDone && stepCounts[step] >= min) {
                stepDoneAt[step] = at;
                stepDoneBy[step] = user;
                stepsDone++;
            }
        }
        for (int trigger : definition.triggersOf(actionId)) {
            if (triggerWindows[trigger] == null) {
                triggerTotals[trigger] += quantity;
            } else {
                triggerWindows[trigger].add(at, quantity, newest);
            }
        }
        // seed 001: "login" and "last active" are no substitute for engagement
        if (!definition.isExcluded(actionId)) {
            double weight = definition.weightOf(actionId);
            if (weight > 0 && quantity > 0) {
                double anchored = weight * quantity * growth(at, true);
                ledger.add(at, actionId, user, quantity, anchored, newest);
            }
        }
    }

    private void onOutcome(AccountEvent.OutcomeRecorded recorded, long at) {
        // the levels just before the trial closed, at the instant it closed (decay and windows included), not
        // those stored at some earlier evaluation: the same whenever and however often the clock looked in
        // between. A customer churning later keeps the levels its trial converted with (calibration judges trials).
        if (recorded.kind() != OutcomeKind.CHURNED || convertedAt == NONE) {
            var levels = definition.definition().levels();
            outcomeActivationLevel = levelOf(activationRate(), levels.activation());
            outcomeEngagementLevel = levelOf(engagementScoreAt(newest), levels.engagement());
            outcomeCommunicationLevel = communicationLevelOf(communicationCounts(newest));
        }
        outcome = recorded.kind();
        outcomeAt = at;
        outcomeAmountMicros = recorded.amountMicros();
        outcomeCurrency = emptyToNull(recorded.currency());
        outcomeSalesTouched = recorded.salesTouched();
        switch (recorded.kind()) {
            case CONVERTED -> {
                if (convertedAt == NONE) {
                    convertedAt = at;
                    convertedWithSalesTouch = recorded.salesTouched();
                }
            }
            case LOST -> {
                if (lostAt == NONE) {
                    lostAt = at;
                }
            }
            case CHURNED -> {
                if (churnedAt == NONE) {
                    churnedAt = at;
                }
            }
        }
    }

    private void advanceWindows() {
        ledger.advance(newest);
        for (WindowedCounter counter : triggerWindows) {
            if (counter != null) {
                counter.advance(newest);
            }
        }
        communication.advance(newest);
    }

    /**
     * 2^((t - anchor) / half-life). With {@code mayRebase}, moves the anchor by whole half-lives
     * once growth gets large, scaling stored values by an exact power of two.
     */
    private double growth(long t, boolean mayRebase) {
        long halfLife = definition.halfLifeMillis();
        if (halfLife == 0) {
            return 1;
        }
        if (anchor == NONE) {
            anchor = t;
        }
        if (mayRebase && t - anchor > REBASE_AFTER_HALF_LIVES * halfLife) {
            long k = (t - anchor) / halfLife;
            anchor += k * halfLife;
            ledger.rebase((int) k);
            growthAt = NONE;
        }
        if (t != growthAt) {
            growthValue = Exp2.of((double) (t - anchor) / halfLife);
            growthAt = t;
        }
        return growthValue;
    }

    /** Engagement score as of {@code asOf} (>= newest). */
    double engagementScoreAt(long asOf) {
        double anchored = ledger.anchoredScore(asOf, newest);
        if (anchored <= 0) {
            return 0;
        }
        return anchored / growth(asOf, false);
    }

    double toScore(double anchoredPoints, long asOf) {
        return anchoredPoints <= 0 ? 0 : anchoredPoints / growth(asOf, false);
    }

    double activationRate() {
        int steps = stepCounts.length;
        return steps == 0 ? 0 : (double) stepsDone / steps;
    }

    double userActivationRate(int user) {
        int steps = stepCounts.length;
        if (steps == 0) {
            return 0;
        }
        int done = 0;
        for (int step = 0; step < steps; step++) {
            if (users.stepCount(user, step) >= definition.stepMinCount(step)) {
                done++;
            }
        }
        return (double) done / steps;
    }

    static Level levelOf(double value, Cutoffs cutoffs) {
        if (value >= cutoffs.high()) {
            return Level.HIGH;
        }
        return value >= cutoffs.medium() ? Level.MEDIUM : Level.LOW;
    }

    int[] communicationCounts(long asOf) {
        return communication.counts(asOf, newest);
    }

    CommunicationLevel communicationLevelOf(int[] counts) {
        return activeCount(counts) >= definition.definition().communication().activeThreshold()
                ? CommunicationLevel.ACTIVE : CommunicationLevel.LOW;
    }

    /** Inbound interactions plus responded outbound ones. */
    static int activeCount(int[] counts) {
        return counts[0] + counts[1];
    }

    /** The opportunity size: explicit, or derived from the deal size; null when neither is known. */
    OpportunitySize opportunitySize() {
        return definition.sizeOf(explicitSize, dealSizeMicros);
    }

    boolean opportunitySizeDerived() {
        return explicitSize == null && dealSizeMicros != null;
    }

    /** Unknown sizes are held to the SMALL threshold: sales wait until activation is nearly complete. */
    OpportunitySize thresholdSize() {
        OpportunitySize size = opportunitySize();
        return size == null ? OpportunitySize.SMALL : size;
    }

    double triggerCount(int trigger, long asOf) {
        return triggerWindows[trigger] == null ? triggerTotals[trigger] : triggerWindows[trigger].count(asOf, newest);
    }

    boolean isClosed() {
        return outcome == OutcomeKind.LOST || outcome == OutcomeKind.CHURNED;
    }

    /** Every PQL kind that applies as of {@code asOf}. A lost or churned account is no lead any more. */
    int kindsAt(long asOf, double rate) {
        if (isClosed()) {
            return 0;
        }
        int mask = 0;
        boolean criteria = stepCounts.length > 0
                && rate >= definition.definition().pql().thresholdFor(thresholdSize());
        for (int trigger = 0; trigger < triggerTotals.length && !criteria; trigger++) {
            criteria = triggerCount(trigger, asOf) >= definition.triggerCount(trigger);
        }
        if (criteria) {
            mask |= PqlKind.CRITERIA_MET.bit();
        }
        if (handRaisedAt != NONE) {
            mask |= PqlKind.HAND_RAISER.bit();
        }
        if (limitReachedAt != NONE) {
            mask |= PqlKind.LIMIT_REACHED.bit();
        }
        if (convertedAt != NONE && !convertedWithSalesTouch) {
            mask |= PqlKind.TOUCHLESS_PURCHASE.bit();
        }
        return mask;
    }

    // --- time-driven changes (AccountStatus) ---

    /**
     * The next change of status that time alone causes after the stored status and at or before {@code until}
     * (decay, a window letting go), applied; null when the status holds until then. Call repeatedly to
     * get every change up to {@code until}, in order.
     */
    public synchronized PqlTransition advanceStatusTo(long until) {
        return AccountStatus.advance(this, until);
    }

    /**
     * Claims a status timer: the instant one is due if it is earlier than the one pending (which is then
     * replaced), else {@link Long#MAX_VALUE} (the pending one fires first and looks again).
     */
    public synchronized long scheduleStatusTimer() {
        if (nextStatusCheck == Long.MIN_VALUE) {
            nextStatusCheck = activationLevel == null ? Long.MAX_VALUE
                    : AccountStatus.nextPossibleChange(this, AccountStatus.statusInstant(this));
        }
        if (nextStatusCheck < scheduledAt) {
            scheduledAt = nextStatusCheck;
            return scheduledAt;
        }
        return Long.MAX_VALUE;
    }

    /** The pending status timer fired. */
    public synchronized void statusTimerFired() {
        scheduledAt = Long.MAX_VALUE;
    }

    /**
     * The summary of this account as of {@code instant}: decay, windows and activity follow the clock, so
     * an account that went silent is summarised as it is at that instant, not as it was at its last event.
     * An instant before the newest event (events dated ahead, within the ingest clock-skew allowance)
     * summarises as of the newest event: a state cannot un-apply events.
     */
    public synchronized AccountSummary summaryAt(pql.scoring.domain.PercentileCohort cohort, long instant) {
        long at = Math.max(instant, newest);
        double rate = activationRate();
        double engagement = engagementScoreAt(at);
        var levels = definition.definition().levels();
        Level activationLevel = levelOf(rate, levels.activation());
        Level engagementLevel = levelOf(engagement, levels.engagement());
        CommunicationLevel communicationLevel = communicationLevelOf(communicationCounts(at));
        Persona persona = PersonaRule.of(activationLevel, engagementLevel, communicationLevel, fit);
        double odds = persona == null ? 0 : PersonaRule.oddsOf(persona, definition.definition().personaOdds());
        return new AccountSummary(accountId, cohortKey(cohort), opportunitySize(), plan, owner, rate,
                engagement, activationLevel, engagementLevel, communicationLevel, kindsAt(at, rate), qualifiedAt,
                firstSeen, newest, outcome, convertedAt, lostAt, churnedAt,
                users.activeWithin(at, DAY), users.activeWithin(at, 7 * DAY),
                users.activeWithin(at, 30 * DAY), logPosition, fit, dealSizeMicros == null ? NONE : dealSizeMicros,
                persona, odds, users.lastActiveAt(at));
    }

    /**
     * The trial as a backtest judges it, or null while it has not closed: closed at its first CONVERTED
     * or LOST outcome (a conversion churned later still converted), with the persona of the levels just
     * before closing.
     */
    public synchronized ClosedTrial closedTrial() {
        if (convertedAt == NONE && lostAt == NONE) {
            return null;
        }
        boolean converted = convertedAt != NONE && (lostAt == NONE || convertedAt <= lostAt);
        return new ClosedTrial(accountId, converted ? convertedAt : lostAt, converted,
                qualifiedAt == NONE ? ClosedTrial.NEVER : qualifiedAt,
                PersonaRule.of(outcomeActivationLevel, outcomeEngagementLevel, outcomeCommunicationLevel, fit));
    }

    /** Event time of the newest event applied (epoch ms); {@link Long#MIN_VALUE} before any. */
    public synchronized long newestEventAt() {
        return newest;
    }

    /**
     * Whether the account is a PQL, given the kinds that apply now: qualification is the hand-off to sales
     * (seeds 001, 004), so an account that qualified stays a lead until its trial is lost or churns, even
     * when the trigger that qualified it has lapsed since.
     */
    boolean isPql(int kinds) {
        return kinds != 0 || (qualifiedAt != NONE && !isClosed());
    }

    String cohortKey(pql.scoring.domain.PercentileCohort cohort) {
        return switch (cohort) {
            case ALL -> "ALL";
            case PLAN -> "PLAN_" + (plan == null ? "UNSPECIFIED" : plan.name());
            case OPPORTUNITY_SIZE -> "OPPORTUNITY_SIZE_" + (opportunitySize() == null ? "UNSPECIFIED"
                    : opportunitySize().name());
        };
    }

    /** An empty user id (no user given) is tracked as one anonymous user. */
    private static String userKey(String userId) {
        return userId == null || userId.isEmpty() ? ANONYMOUS : userId;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** Engagement entries kept (hour buckets in a window, actions otherwise): memory checks and tests. */
    public synchronized int engagementEntryCount() {
        return ledger.entryCount();
    }

    /** Events applied so far. */
    public synchronized long eventsApplied() {
        return eventsApplied;
    }

    /** The highest global log position among the events applied. */
    public synchronized long logPosition() {
        return logPosition;
    }

    // --- snapshots: the format is AccountStateCodec's ---

    /** Writes the whole state; action ids are written as names (ids are local to a process). */
    public synchronized void writeTo(DataOutput out) throws IOException {
        AccountStateCodec.write(this, out);
    }

    /**
     * Reads a state written by {@link #writeTo} for the same definition, possibly compiled by another
     * process (action ids are matched by name).
     */
    public static AccountState readFrom(DataInput in, CompiledDefinition definition) throws IOException {
        return AccountStateCodec.read(in, definition);
    }
}
