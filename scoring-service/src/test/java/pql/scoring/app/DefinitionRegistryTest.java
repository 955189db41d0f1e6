package pql.scoring.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.domain.definition.ScoringDefinition;
import pql.scoring.store.StoreDefinitionLog;

/** The versions of the definitions stream on the embedded store: numbering, activation, several instances. */
class DefinitionRegistryTest {

    @TempDir
    Path directory;

    private RocksDbEventStore store;
    private DefinitionRegistry registry;
    private final ScoringDefinition simple = DefinitionPresets.forComplexity(ProductComplexity.SIMPLE);
    private final ScoringDefinition complex = DefinitionPresets.forComplexity(ProductComplexity.COMPLEX);

    @BeforeEach
    void open() {
        store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory));
        registry = newInstance();
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Another scoring process (or this one after a restart) on the same store. */
    private DefinitionRegistry newInstance() {
        return new DefinitionRegistry(new StoreDefinitionLog(store), java.time.Clock.fixed(ScoringUseCases.NOW,
                java.time.ZoneOffset.UTC));
    }

    @Test
    void anotherInstancesEntryUnderTheSameIdIsNotTakenForOursButOurOwnRetryIs() {
        // entry ids are named by stream version and definition version: two instances racing for the
        // same place send the same ids; with other content that is somebody else's append (issue #13)
        StoreDefinitionLog first = new StoreDefinitionLog(store);
        StoreDefinitionLog second = new StoreDefinitionLog(store);
        DefinitionLog.Published ours = new DefinitionLog.Published(0, 1_000, 1, simple, "ann");

        assertThat(first.append(-1, List.of(ours))).isTrue();
        assertThat(second.append(-1, List.of(new DefinitionLog.Published(0, 1_000, 1, complex, "bob")))).isFalse();
        assertThat(first.append(-1, List.of(ours))).as("a retry of our own append").isTrue();
        assertThat(first.readFrom(0)).singleElement().satisfies(entry ->
                assertThat(((DefinitionLog.Published) entry).definition()).isEqualTo(simple));
    }

    @Test
    void theFirstStartPublishesTheIntermediatePresetAsVersionOneAndActivatesIt() {
        registry.ensureInitialized();

        DefinitionRecord active = registry.active();
        assertThat(registry.activeVersion()).isEqualTo(1);
        assertThat(active.definition()).isEqualTo(DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE));
        assertThat(active.publishedBy()).isEqualTo(DefinitionRegistry.SYSTEM);
        assertThat(active.activatedBy()).isEqualTo(DefinitionRegistry.SYSTEM);
        assertThat(active.publishedAt()).isEqualTo(ScoringUseCases.NOW.toEpochMilli());
        assertThat(active.everActivated()).isTrue();
    }

    @Test
    void laterStartsFindTheVersionsThereAndPublishNothing() {
        registry.ensureInitialized();
        registry.publish(simple, "platform-team");

        DefinitionRegistry restarted = newInstance();
        restarted.ensureInitialized();

        assertThat(restarted.all()).extracting(DefinitionRecord::version).containsExactly(2, 1);
        assertThat(restarted.activeVersion()).isEqualTo(1);
    }

    @Test
    void publishingNumbersVersionsOneAfterAnotherWithoutActivatingThem() {
        registry.ensureInitialized();

        DefinitionRecord second = registry.publish(simple, "platform-team");
        DefinitionRecord third = registry.publish(complex, "ana");

        assertThat(second.version()).isEqualTo(2);
        assertThat(second.definition()).isEqualTo(simple);
        assertThat(second.publishedBy()).isEqualTo("platform-team");
        assertThat(second.everActivated()).isFalse();
        assertThat(third.version()).isEqualTo(3);
        assertThat(registry.activeVersion()).as("publishing does not activate").isEqualTo(1);
        assertThat(registry.get(3)).contains(third);
        assertThat(registry.get(4)).isEmpty();
    }

    @Test
    void everyVersionIsListedNewestFirst() {
        registry.ensureInitialized();
        registry.publish(simple, "a");
        registry.publish(complex, "b");

        assertThat(registry.all()).extracting(DefinitionRecord::version).containsExactly(3, 2, 1);
    }

    @Test
    void anInstanceThatHasNotSeenANewVersionStillPublishesTheNextNumber() {
        registry.ensureInitialized();
        DefinitionRegistry other = newInstance();
        other.ensureInitialized();

        registry.publish(simple, "first");
        DefinitionRecord fromOther = other.publish(complex, "second");

        assertThat(fromOther.version()).as("optimistic concurrency: no two versions share a number").isEqualTo(3);
        registry.refresh();
        assertThat(registry.get(2).orElseThrow().definition()).isEqualTo(simple);
        assertThat(registry.get(3).orElseThrow().definition()).isEqualTo(complex);
    }

    @Test
    void activatingAVersionMakesItTheActiveOneForEveryInstance() {
        registry.ensureInitialized();
        registry.publish(complex, "platform-team");

        DefinitionRecord activated = registry.activate(2, "ana");

        assertThat(activated.activatedBy()).isEqualTo("ana");
        assertThat(registry.activeVersion()).isEqualTo(2);
        assertThat(registry.active().definition()).isEqualTo(complex);
        DefinitionRegistry other = newInstance();
        other.refresh();
        assertThat(other.activeVersion()).isEqualTo(2);
        assertThat(other.get(1).orElseThrow().everActivated()).as("v1 was active once: retired, not new").isTrue();
    }

    @Test
    void activatingAnUnknownVersionIsNotFoundAndChangesNothing() {
        registry.ensureInitialized();
        long streamVersion = store.streamVersion(pql.eventstore.StreamIds.DEFINITIONS);

        assertThatThrownBy(() -> registry.activate(7, "ana"))
                .isInstanceOf(ScoringException.NotFound.class)
                .hasMessage("definition version 7 does not exist");

        assertThat(registry.activeVersion()).isEqualTo(1);
        assertThat(store.streamVersion(pql.eventstore.StreamIds.DEFINITIONS)).isEqualTo(streamVersion);
    }

    @Test
    void beforeTheFirstStartNothingIsActive() {
        assertThat(registry.activeVersion()).isZero();
        assertThat(registry.all()).isEmpty();
        assertThatThrownBy(registry::active)
                .isInstanceOf(ScoringException.FailedPrecondition.class)
                .hasMessage("no definition is active");
    }

    @Test
    void aStreamThatAlwaysMovesOnBeforeAnAppendIsTooBusyToPublish() {
        DefinitionLog alwaysRacing = new DefinitionLog() {
            @Override
            public List<Entry> readFrom(long fromStreamVersion) {
                return List.of();
            }

            @Override
            public boolean append(long expectedStreamVersion, List<Entry> entries) {
                return false;
            }
        };
        DefinitionRegistry busy = new DefinitionRegistry(alwaysRacing, java.time.Clock.systemUTC());

        assertThatThrownBy(() -> busy.publish(simple, "ana"))
                .isInstanceOf(ScoringException.ResourceExhausted.class)
                .hasMessageContaining("retry");
        assertThatThrownBy(busy::ensureInitialized)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("could not initialise the definitions stream");
    }
}
