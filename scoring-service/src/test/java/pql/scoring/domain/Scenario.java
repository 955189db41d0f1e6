package pql.scoring.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.domain.definition.ScoringDefinition;
import pql.scoring.domain.event.AccountEvent;
import pql.scoring.domain.score.AccountScore;
import pql.scoring.domain.score.AccountState;
import pql.scoring.domain.score.CohortPercentiles;
import pql.scoring.domain.score.PqlTransition;
import pql.scoring.domain.score.ScoreEvaluator;

/**
 * Given events (at explicit or advancing event times), then the account's score: the fixture of the
 * domain tests. Each event moves the clock one minute unless {@link #at} or {@link #after} set it.
 */
public final class Scenario {

    public static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

    private final CompiledDefinition definition;
    private final AccountState state;
    private final List<AccountEvent> events = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();
    private final List<PqlTransition> transitions = new ArrayList<>();
    private Instant now = START;
    private long position;

    public Scenario(ScoringDefinition definition) {
        this.definition = new CompiledDefinition(1, definition);
        this.state = new AccountState(this.definition, "acme", "account-acme".hashCode());
    }

    public static Scenario intermediate() {
        return new Scenario(DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE));
    }

    public static Scenario of(ProductComplexity complexity) {
        return new Scenario(DefinitionPresets.forComplexity(complexity));
    }

    public Scenario at(String instant) {
        now = Instant.parse(instant);
        return this;
    }

    public Scenario after(Duration duration) {
        now = now.plus(duration);
        return this;
    }

    public Scenario apply(AccountEvent event) {
        events.add(event);
        times.add(now.toEpochMilli());
        passTimeUntil(now.toEpochMilli() - 1); // as the projection does before each event
        PqlTransition transition = state.apply(event, now.toEpochMilli(), ++position);
        if (transition != null) {
            transitions.add(transition);
        }
        now = now.plus(Duration.ofMinutes(1));
        return this;
    }

    public Scenario profile(OpportunitySize size) {
        return apply(new AccountEvent.Profiled("Acme", null, null, size, "alice@sales", Plan.TRIAL, null, null,
                Fit.GOOD));
    }

    public Scenario dealSize(long units) {
        return apply(new AccountEvent.Profiled("Acme", units * 1_000_000L, "USD", null, "alice@sales", Plan.TRIAL,
                null, null, Fit.GOOD));
    }

    public Scenario action(String user, String action) {
        return action(user, action, 1);
    }

    public Scenario action(String user, String action, double quantity) {
        return apply(new AccountEvent.ActionPerformed(user, action, quantity));
    }

    /** The first {@code steps} steps of the preset checklist, each completed by {@code user}. */
    public Scenario completeSteps(String user, int steps) {
        var checklist = definition.definition().steps();
        for (int i = 0; i < steps; i++) {
            action(user, checklist.get(i).action(), checklist.get(i).minCount());
        }
        return this;
    }

    public Scenario inbound(Sentiment sentiment) {
        return apply(new AccountEvent.Communicated("u1", Direction.INBOUND, false, sentiment));
    }

    public Scenario outbound(boolean responded, Sentiment sentiment) {
        return apply(new AccountEvent.Communicated(null, Direction.OUTBOUND, responded, sentiment));
    }

    public Scenario handRaised(String user) {
        return apply(new AccountEvent.SalesAssistanceRequested(user));
    }

    public Scenario limitReached(String limit, double usage, double value) {
        return apply(new AccountEvent.PlanLimitReached(limit, "u1", usage, value));
    }

    public Scenario outcome(OutcomeKind kind, boolean salesTouched) {
        return apply(new AccountEvent.OutcomeRecorded(kind, 12_000_000_000L, "USD", salesTouched));
    }

    public Scenario identify(String user, String email) {
        return apply(new AccountEvent.UserIdentified(user, email));
    }

    /** Time passes without events up to {@code instant}: the time-driven transitions it brings are recorded. */
    public Scenario passTimeTo(String instant) {
        now = Instant.parse(instant);
        passTimeUntil(now.toEpochMilli());
        return this;
    }

    private void passTimeUntil(long until) {
        PqlTransition transition;
        while ((transition = state.advanceStatusTo(until)) != null) {
            transitions.add(transition);
        }
    }

    public AccountScore score() {
        return ScoreEvaluator.evaluate(state, CohortPercentiles.EMPTY::ofMember, true);
    }

    public AccountScore scoreAsOf(String instant) {
        return ScoreEvaluator.evaluate(state, Instant.parse(instant).toEpochMilli(), CohortPercentiles.EMPTY::ofOutsider,
                true);
    }

    public AccountState state() {
        return state;
    }

    public CompiledDefinition definition() {
        return definition;
    }

    public List<PqlTransition> transitions() {
        return transitions;
    }

    public Instant now() {
        return now;
    }

    /** Replays the same events into a fresh state of the same definition. */
    public AccountState replay() {
        AccountState fresh = new AccountState(definition, "acme", "account-acme".hashCode());
        for (int i = 0; i < events.size(); i++) {
            fresh.apply(events.get(i), times.get(i), i + 1);
        }
        return fresh;
    }
}
