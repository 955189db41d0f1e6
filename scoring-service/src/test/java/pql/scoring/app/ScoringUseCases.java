package pql.scoring.app;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StreamIds;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.domain.definition.ScoringDefinition;
import pql.scoring.domain.score.PqlTransition;
import pql.scoring.store.StoreDefinitionLog;
import pql.scoring.testing.SampleHistory;
import pql.v1.AccountProfiled;
import pql.v1.EventEnvelope;
import pql.v1.OpportunitySize;
import pql.v1.Plan;
import pql.v1.ProductAction;

/**
 * The scoring use cases wired as the module wires them, on a real embedded store in a temporary
 * directory, with a {@link SteppedProjectionEngine} instead of the Axon processors (so a test decides
 * when a projection catches up) and a fixed clock. Given accounts are written as events to the log.
 */
final class ScoringUseCases implements AutoCloseable {

    static final Instant NOW = Instant.parse("2026-02-01T12:00:00Z");
    /** When every given account's trial starts; each later event of an account comes one minute after the last. */
    static final Instant TRIAL_START = SampleHistory.START;
    /** The checklist of every preset, in order: the first {@code n} actions complete {@code n} of its 6 steps. */
    static final List<String> STEP_ACTIONS = List.of("workspace_created", "data_connected", "teammate_invited",
            "teammate_invited", "report_created", "report_created", "report_created", "dashboard_shared",
            "integration_enabled");

    final RocksDbEventStore store;
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final DefinitionRegistry registry;
    final SteppedProjectionEngine engine;
    /** Live transitions the serving projection published (the alerts and watchers would get these). */
    final List<PqlTransition> published = new CopyOnWriteArrayList<>();
    final ProjectionRollout projections;
    final ScoreQueries queries;

    ScoringUseCases(Path directory, int maxConcurrentRescores) {
        this(directory, maxConcurrentRescores, 1);
    }

    ScoringUseCases(Path directory, int maxConcurrentRescores, int keepRetired) {
        store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory.resolve("events")));
        registry = new DefinitionRegistry(new StoreDefinitionLog(store), clock);
        engine = new SteppedProjectionEngine(store);
        projections = new ProjectionRollout(registry, engine, published::add, clock,
                maxConcurrentRescores, keepRetired);
        queries = new ScoreQueries(projections, store, engine, Duration.ofSeconds(10), clock);
    }

    ScoringUseCases(Path directory) {
        this(directory, 1);
    }

    static ScoringDefinition preset(ProductComplexity complexity) {
        return DefinitionPresets.forComplexity(complexity);
    }

    /** A trial account (MID, owner-a, TRIAL unless told otherwise) to append to the log. */
    AccountBuilder account(String accountId) {
        return new AccountBuilder(accountId);
    }

    final class AccountBuilder {
        private final String accountId;
        private final AccountProfiled.Builder profile = AccountProfiled.newBuilder()
                .setPlan(Plan.PLAN_TRIAL).setOpportunitySize(OpportunitySize.OPPORTUNITY_SIZE_MID);
        private int stepsDone;
        private final List<String> extraActions = new ArrayList<>();
        private pql.v1.OutcomeKind outcome;

        private AccountBuilder(String accountId) {
            this.accountId = accountId;
            profile.setName("Account " + accountId).setOwner("owner-a");
        }

        AccountBuilder size(OpportunitySize size) {
            profile.setOpportunitySize(size);
            return this;
        }

        AccountBuilder owner(String owner) {
            profile.setOwner(owner);
            return this;
        }

        AccountBuilder plan(Plan plan) {
            profile.setPlan(plan);
            return this;
        }

        /** A deal size in whole USD. */
        AccountBuilder dealSize(long dollars) {
            profile.setDealSize(pql.v1.Money.newBuilder().setAmountMicros(dollars * 1_000_000).setCurrency("USD"));
            return this;
        }

        /** The trial closes this way an hour after its last action. */
        AccountBuilder outcome(pql.v1.OutcomeKind kind) {
            outcome = kind;
            return this;
        }

        /** 1..6: workspace, data source, two invites, three reports, a shared dashboard, an integration. */
        AccountBuilder stepsDone(int steps) {
            this.stepsDone = steps;
            return this;
        }

        /** {@code count} more {@code action}s after the checklist actions, one minute apart. */
        AccountBuilder actions(String action, int count) {
            for (int i = 0; i < count; i++) {
                extraActions.add(action);
            }
            return this;
        }

        /** Appends the account's events; returns the event time of each step's completion, in order. */
        List<Instant> append() {
            List<EventEnvelope> events = new ArrayList<>();
            events.add(SampleHistory.envelope(accountId, 0, TRIAL_START, profile.build()));
            List<Instant> stepTimes = new ArrayList<>();
            int actions = actionsFor(stepsDone);
            for (int i = 0; i < actions; i++) {
                Instant at = TRIAL_START.plus(Duration.ofMinutes(i + 1));
                events.add(SampleHistory.envelope(accountId, i + 1, at, ProductAction.newBuilder().setUserId("u1")
                        .setAction(STEP_ACTIONS.get(i)).build()));
                if (i + 1 == actionsFor(stepTimes.size() + 1)) {
                    stepTimes.add(at);
                }
            }
            for (int i = 0; i < extraActions.size(); i++) {
                Instant at = TRIAL_START.plus(Duration.ofMinutes(actions + i + 1));
                events.add(SampleHistory.envelope(accountId, actions + i + 1, at, ProductAction.newBuilder()
                        .setUserId("u1").setAction(extraActions.get(i)).build()));
            }
            if (outcome != null) {
                int sequence = actions + extraActions.size() + 1;
                events.add(SampleHistory.envelope(accountId, sequence,
                        TRIAL_START.plus(Duration.ofMinutes(sequence + 60)), pql.v1.Outcome.newBuilder().setKind(outcome)
                                .build()));
            }
            store.append(StreamIds.forAccount(accountId), ExpectedVersion.ANY, events);
            return stepTimes;
        }
    }

    /** Actions of {@link #STEP_ACTIONS} needed for the first {@code steps} steps. */
    private static int actionsFor(int steps) {
        int[] cumulative = {0, 1, 2, 4, 7, 8, 9};
        return cumulative[steps];
    }

    @Override
    public void close() {
        projections.close();
        store.close();
    }
}
